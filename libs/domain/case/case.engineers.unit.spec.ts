import { IllegalStateError, NotFoundError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { AssignEngineer, Escalate, SeverityACall } from './case.commands';
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
    data: { caller: 'Jo Doe +33 1 23 45 67 89', candidates, by: 'support:dispatcher' },
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

  it('is refused on a severity-B case (B and C calls are queued)', () => {
    given(openCase('B').history)
      .when(call([candidate('eng-a', 0)]))
      .thenThrows(IllegalStateError, /severity B and is queued/);
  });

  it('is refused on a case without severity', () => {
    given([caseSubmitted()])
      .when(call([candidate('eng-a', 0)]))
      .thenThrows(IllegalStateError, /severity not set/);
  });

  it('is refused on a resolved case', () => {
    given([...severityA(), caseResolved(['initialResponse-1'])])
      .when(call([candidate('eng-a', 0)]))
      .thenThrows(IllegalStateError, /is resolved/);
  });
});
