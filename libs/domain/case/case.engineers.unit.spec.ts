import { IllegalStateError, NotFoundError, ValidationError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { AssignEngineer, Escalate, SeverityACall, TakeQueuedCall } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import { Case } from './case.state';
import { TransferCandidate } from './next-engineer';
import {
  AGENT,
  CASE_ID,
  NOW,
  PARTNER,
  caseResolved,
  caseSubmitted,
  context,
  engineerAssigned,
  openCase,
  rejectedCase,
  routedCase,
} from './testing/case.fixtures';

const given = (events: CaseEvent[]) => spec(caseDecider, context).given(events);
const stateAfter = (events: CaseEvent[]): Case => events.reduce(caseDecider.evolve, caseDecider.initialState()) as Case;

const assign = (engineerId: string, managerId: string | null = 'mgr-carol', found = true): AssignEngineer => ({
  type: 'AssignEngineer',
  data: { engineerId, engineer: found ? { engineerId, managerId } : null, by: AGENT },
});

describe('AssignEngineer', () => {
  it('assigns the engineer, recording the manager the escalation path leads to', () => {
    given(openCase('B').history)
      .when(assign('eng-bob'))
      .then([
        {
          type: 'EngineerAssigned',
          data: {
            caseId: CASE_ID,
            engineerId: 'eng-bob',
            managerId: 'mgr-carol',
            previousEngineerId: null,
            by: AGENT,
            at: NOW,
          },
        },
      ]);
  });

  it('reassigning names the previous engineer', () => {
    given([...openCase('B').history, engineerAssigned('eng-bob')])
      .when(assign('eng-dan', 'mgr-erin'))
      .then([engineerAssigned('eng-dan', { managerId: 'mgr-erin', previousEngineerId: 'eng-bob', at: NOW })]);
  });

  describe('a severity-A case', () => {
    const assignA = (
      availability: 'on-shift' | 'off-shift' | 'away',
      force?: { reason: string },
      backupEngineerId: string | null = null,
    ): AssignEngineer => ({
      type: 'AssignEngineer',
      data: {
        engineerId: 'eng-bob',
        engineer: { engineerId: 'eng-bob', managerId: 'mgr-carol', availability, backupEngineerId },
        force,
        by: AGENT,
      },
    });
    const assigned = (extra: object = {}) => ({
      type: 'EngineerAssigned' as const,
      data: {
        caseId: CASE_ID,
        engineerId: 'eng-bob',
        managerId: 'mgr-carol',
        previousEngineerId: null,
        ...extra,
        by: AGENT,
        at: NOW,
      },
    });

    it('goes to an engineer on shift, with its backup recorded', () => {
      given(openCase('A').history)
        .when(assignA('on-shift', undefined, 'eng-dan'))
        .then([assigned({ backupEngineerId: 'eng-dan' })]);
      expect(stateAfter([...openCase('A').history, assigned({ backupEngineerId: 'eng-dan' })])).toMatchObject({
        engineerId: 'eng-bob',
        managerId: 'mgr-carol',
        backupEngineerId: 'eng-dan',
      });
    });

    it('is refused to an engineer off shift or away (409)', () => {
      given(openCase('A').history)
        .when(assignA('off-shift'))
        .thenThrows(IllegalStateError, /eng-bob is off-shift: a severity-A case goes to an engineer on shift/);
      given(openCase('A').history)
        .when(assignA('away'))
        .thenThrows(IllegalStateError, /is away/);
    });

    it('forced with a reason: assigned, the reason and the availability recorded', () => {
      given(openCase('A').history)
        .when(assignA('away', { reason: 'only Bob knows this tenant' }))
        .then([assigned({ forced: { reason: 'only Bob knows this tenant', availability: 'away' } })]);
    });

    it('forced without a reason: refused', () => {
      given(openCase('A').history)
        .when(assignA('off-shift', { reason: ' ' }))
        .thenThrows(ValidationError, /needs a reason/);
    });

    it('a severity-B case goes to an engineer off shift without a word', () => {
      given(openCase('B').history).when(assignA('off-shift')).then([assigned()]);
    });
  });

  it('assigning the engineer who already has the case records nothing', () => {
    given([...openCase('B').history, engineerAssigned('eng-bob')])
      .when(assign('eng-bob'))
      .thenNothing();
  });

  it('an unknown engineer is not found', () => {
    given(openCase('B').history)
      .when(assign('eng-ghost', null, false))
      .thenThrows(NotFoundError, /engineer eng-ghost not found/);
  });

  it('is refused on a resolved case', () => {
    given([...openCase('B').history, caseResolved(['initialResponse-1'])])
      .when(assign('eng-bob'))
      .thenThrows(IllegalStateError, /is resolved/);
  });

  it('is refused on a routed case', () => {
    given(routedCase())
      .when(assign('eng-bob'))
      .thenThrows(IllegalStateError, /routed/);
  });

  it('is refused on a case that does not exist', () => {
    given([])
      .when(assign('eng-bob'))
      .thenThrows(NotFoundError, /case not found/);
  });
});

describe("Escalate (the escalation path: the assigned engineer's manager)", () => {
  const escalate: Escalate = { type: 'Escalate', data: { reason: 'no answer from the engineer', by: PARTNER } };

  it("escalates to the assigned engineer's manager", () => {
    given([...openCase('B').history, engineerAssigned('eng-bob')])
      .when(escalate)
      .then([
        {
          type: 'EscalatedToManager',
          data: {
            caseId: CASE_ID,
            engineerId: 'eng-bob',
            managerId: 'mgr-carol',
            reason: 'no answer from the engineer',
            by: PARTNER,
            automatic: false,
            clockId: null,
            at: NOW,
          },
        },
      ]);
  });

  it('is refused when no engineer is assigned', () => {
    given(openCase('B').history)
      .when(escalate)
      .thenThrows(IllegalStateError, /no engineer is assigned/);
  });

  it('is refused when the engineer has no manager', () => {
    given([...openCase('B').history, engineerAssigned('mgr-carol', { managerId: null })])
      .when(escalate)
      .thenThrows(IllegalStateError, /engineer mgr-carol has no manager/);
  });

  it('is refused on a resolved case', () => {
    given([...openCase('B').history, engineerAssigned('eng-bob'), caseResolved(['initialResponse-1'])])
      .when(escalate)
      .thenThrows(IllegalStateError, /is resolved/);
  });

  it('is refused on a rejected case', () => {
    given(rejectedCase())
      .when(escalate)
      .thenThrows(IllegalStateError, /rejected/);
  });
});

describe('SeverityACall (transferred directly to the next available engineer)', () => {
  const candidate = (
    engineerId: string,
    openSeverityACases: number,
    availability: TransferCandidate['availability'] = 'on-shift',
  ): TransferCandidate => ({
    engineerId,
    managerId: `mgr-of-${engineerId}`,
    availability,
    openSeverityACases,
  });
  const call = (candidates: TransferCandidate[]): SeverityACall => ({
    type: 'SeverityACall',
    data: { caller: 'Jo Doe +33 1 23 45 67 89', candidates, callId: 'call-1', by: 'support:dispatcher' },
  });
  const transferred = (toEngineerId: string, openA: number, fromEngineerId: string | null = 'eng-bob') => ({
    type: 'TransferredOnSeverityACall' as const,
    data: {
      caseId: CASE_ID,
      fromEngineerId,
      toEngineerId,
      toManagerId: `mgr-of-${toEngineerId}`,
      caller: 'Jo Doe +33 1 23 45 67 89',
      by: 'support:dispatcher',
      reason: `next available engineer (on shift, ${openA} open severity-A cases)`,
      at: NOW,
    },
  });
  const severityA = () => [...openCase('A').history, engineerAssigned('eng-bob')];

  it('transfers to the on-shift engineer with the fewest open severity-A cases', () => {
    given(severityA())
      .when(call([candidate('eng-a', 3), candidate('eng-b', 1), candidate('eng-c', 2)]))
      .then([transferred('eng-b', 1)]);
  });

  it('breaks ties by engineerId ascending', () => {
    given(severityA())
      .when(call([candidate('eng-z', 1), candidate('eng-m', 1), candidate('eng-y', 2)]))
      .then([transferred('eng-m', 1)]);
  });

  it('never picks the engineer who already has the case, nor anyone off shift or away', () => {
    given(severityA())
      .when(
        call([
          candidate('eng-bob', 0),
          candidate('eng-a', 0, 'off-shift'),
          candidate('eng-b', 0, 'away'),
          candidate('eng-c', 4),
        ]),
      )
      .then([transferred('eng-c', 4)]);
  });

  it('works on an unassigned severity-A case too (from nobody)', () => {
    given(openCase('A').history)
      .when(call([candidate('eng-a', 0)]))
      .then([transferred('eng-a', 0, null)]);
  });

  it('the transfer makes the new engineer (and manager) the assignee', () => {
    const state = stateAfter([...severityA(), transferred('eng-c', 4)]);
    expect(state).toMatchObject({ engineerId: 'eng-c', managerId: 'mgr-of-eng-c' });
  });

  it('with nobody available: refused, "no engineer available"', () => {
    given(severityA())
      .when(call([candidate('eng-bob', 0), candidate('eng-a', 0, 'off-shift')]))
      .thenThrows(IllegalStateError, /no engineer available/);
  });

  const queued = (severity: 'B' | 'C' | null, callId = 'call-1') => ({
    type: 'CallQueued' as const,
    data: {
      caseId: CASE_ID,
      callId,
      reference: caseSubmitted().data.reference,
      caller: 'Jo Doe +33 1 23 45 67 89',
      severity,
      by: 'support:dispatcher',
      at: NOW,
    },
  });

  it('on a severity-B case: queued to the support team, not transferred', () => {
    given(openCase('B').history)
      .when(call([candidate('eng-a', 0)]))
      .then([queued('B')]);
  });

  it('on a case without severity: queued too', () => {
    given([caseSubmitted()])
      .when(call([candidate('eng-a', 0)]))
      .then([queued(null)]);
  });

  it('the same queued call again (a retry with its id) records nothing', () => {
    given([...openCase('B').history, queued('B')])
      .when(call([]))
      .thenNothing();
  });

  describe('while the engineer is not on shift', () => {
    const backedUp = (
      availability: TransferCandidate['availability'],
      backupAvailability: TransferCandidate['availability'],
    ) => [
      { ...candidate('eng-bob', 0, availability), backupEngineerId: 'eng-z' },
      { ...candidate('eng-z', 5, backupAvailability), backupEngineerId: 'eng-bob' },
      candidate('eng-a', 0),
    ];
    const toBackup = (availability: string) => ({
      type: 'TransferredOnSeverityACall' as const,
      data: {
        caseId: CASE_ID,
        fromEngineerId: 'eng-bob',
        toEngineerId: 'eng-z',
        toManagerId: 'mgr-of-eng-z',
        toBackupEngineerId: 'eng-bob',
        caller: 'Jo Doe +33 1 23 45 67 89',
        by: 'support:dispatcher',
        reason: `backup of eng-bob (${availability}), on shift`,
        at: NOW,
      },
    });

    it('goes to its backup when the backup is on shift (whatever its workload)', () => {
      given(severityA())
        .when(call(backedUp('off-shift', 'on-shift')))
        .then([toBackup('off-shift')]);
      given(severityA())
        .when(call(backedUp('away', 'on-shift')))
        .then([toBackup('away')]);
    });

    it('goes to the next available engineer when the backup is not on shift', () => {
      given(severityA())
        .when(call(backedUp('away', 'off-shift')))
        .then([transferred('eng-a', 0)]);
    });

    it('an engineer on shift: the next available engineer, as before (not the backup)', () => {
      given(severityA())
        .when(call(backedUp('on-shift', 'on-shift')))
        .then([transferred('eng-a', 0)]);
    });

    it("the transfer records the new engineer's backup on the case", () => {
      expect(stateAfter([...severityA(), toBackup('away')])).toMatchObject({
        engineerId: 'eng-z',
        backupEngineerId: 'eng-bob',
      });
    });
  });

  it('is refused on a resolved case', () => {
    given([...severityA(), caseResolved(['initialResponse-1'])])
      .when(call([candidate('eng-a', 0)]))
      .thenThrows(IllegalStateError, /is resolved/);
  });
});

describe('TakeQueuedCall', () => {
  const queuedCall = {
    type: 'CallQueued' as const,
    data: {
      caseId: CASE_ID,
      callId: 'call-1',
      reference: caseSubmitted().data.reference,
      caller: 'Jo',
      severity: 'B' as const,
      by: AGENT,
      at: NOW,
    },
  };
  const take = (callId = 'call-1', engineerId = 'eng-bob', found = true): TakeQueuedCall => ({
    type: 'TakeQueuedCall',
    data: { callId, engineerId, engineer: found ? { engineerId } : null, by: AGENT },
  });
  const taken = {
    type: 'QueuedCallTaken' as const,
    data: { caseId: CASE_ID, callId: 'call-1', engineerId: 'eng-bob', queuedAt: NOW, by: AGENT, at: NOW },
  };

  it('an engineer takes a queued call', () => {
    given([...openCase('B').history, queuedCall])
      .when(take())
      .then([taken]);
  });

  it('taking it twice is refused (409), naming who took it', () => {
    given([...openCase('B').history, queuedCall, taken])
      .when(take('call-1', 'eng-dan'))
      .thenThrows(IllegalStateError, /already taken by eng-bob/);
  });

  it('an unknown call or engineer: not found', () => {
    given([...openCase('B').history, queuedCall])
      .when(take('call-2'))
      .thenThrows(NotFoundError, /call call-2 not found/);
    given([...openCase('B').history, queuedCall])
      .when(take('call-1', 'eng-ghost', false))
      .thenThrows(NotFoundError, /engineer eng-ghost not found/);
  });
});
