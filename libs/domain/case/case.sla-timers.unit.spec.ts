import { IllegalStateError, NotFoundError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { EscalateOverdue, RaiseSlaWarning, RecordSlaBreach } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent, SlaClockStarted } from './case.events';
import { Case } from './case.state';
import {
  CASE_ID,
  NOW,
  caseResolved,
  caseSubmitted,
  clockStarted,
  context,
  engineerAssigned,
  min,
  reminderSent,
  routedCase,
  severityAssigned,
  slaBreached,
  slaWarningRaised,
  updateSent,
} from './testing/case.fixtures';

const given = (events: CaseEvent[]) => spec(caseDecider, context).given(events);
const stateAfter = (events: CaseEvent[]): Case => events.reduce(caseDecider.evolve, caseDecider.initialState()) as Case;
const warn = (clockId = 'initialResponse-1'): RaiseSlaWarning => ({ type: 'RaiseSlaWarning', data: { clockId } });
const breach = (clockId = 'initialResponse-1'): RecordSlaBreach => ({ type: 'RecordSlaBreach', data: { clockId } });
const escalate = (clockId = 'initialResponse-1'): EscalateOverdue => ({ type: 'EscalateOverdue', data: { clockId } });

/**
 * A severity-A case whose initial-response clock started `startedMin` minutes from NOW.
 * A: 1 h to respond, warns at 45 min, escalates 1 h after due.
 */
function severityACase(startedMin: number): { history: CaseEvent[]; clock: SlaClockStarted } {
  const clock = clockStarted('initialResponse', 1, 'A', min(startedMin));
  return {
    history: [caseSubmitted({}, min(startedMin)), severityAssigned('A', { at: min(startedMin) }), clock],
    clock,
  };
}

describe('RaiseSlaWarning', () => {
  const { history, clock } = severityACase(-50); // warned at -5, due at +10

  it('records the warning of a running clock at its warnAt', () => {
    given(history)
      .when(warn())
      .then([slaWarningRaised(clock, { at: NOW })]);
  });

  it('puts the clock in warning, warnedAt being the instant it became at risk', () => {
    expect(stateAfter([...history, slaWarningRaised(clock, { at: NOW })]).sla.initialResponse).toMatchObject({
      state: 'warning',
      warnedAt: clock.data.warnAt,
    });
  });

  it('is idempotent: a second warning for the same clock records nothing', () => {
    given([...history, slaWarningRaised(clock)])
      .when(warn())
      .thenNothing();
  });

  it('a stale clockId (the clock was replaced by a severity change) records nothing', () => {
    const restarted = clockStarted('initialResponse', 2, 'B', min(-50), {
      cause: 'severity-changed',
      replacesClockId: 'initialResponse-1',
    });
    given([...history, severityAssigned('B', { previousSeverity: 'A' }), restarted])
      .when(warn())
      .thenNothing();
  });

  it('an unknown clockId records nothing', () => {
    given(history).when(warn('nextUpdate-9')).thenNothing();
  });

  it('a met clock records nothing', () => {
    given([...history, updateSent('initialResponse-1', { at: min(-6) })])
      .when(warn())
      .thenNothing();
  });

  it('a stopped clock (case resolved) records nothing', () => {
    given([...history, caseResolved(['initialResponse-1'], min(-6))])
      .when(warn())
      .thenNothing();
  });

  describe('a warning recorded late (its timer ran after the breach, e.g. after a Redis outage)', () => {
    const late = severityACase(-90); // warned at -45, due at -30: both passed unrecorded
    const breached = [...late.history, slaBreached(late.clock, { at: min(-1) })];

    it('is still recorded once, after the breach, with its true instant (warnAt) and the time recorded (at)', () => {
      given(breached)
        .when(warn())
        .then([slaWarningRaised(late.clock, { at: NOW })]);
      expect(late.clock.data.warnAt).toBe(min(-45));
    });

    it('leaves the clock breached, with warnedAt its warnAt', () => {
      expect(stateAfter([...breached, slaWarningRaised(late.clock, { at: NOW })]).sla.initialResponse).toMatchObject({
        state: 'breached',
        breachedAt: late.clock.data.dueAt,
        warnedAt: late.clock.data.warnAt,
      });
    });

    it('exactly once: a second warning timer after it records nothing', () => {
      given([...breached, slaWarningRaised(late.clock, { at: NOW })])
        .when(warn())
        .thenNothing();
    });

    it('a breach after a warning that was recorded before it does not bring a second warning', () => {
      given([...late.history, slaWarningRaised(late.clock), slaBreached(late.clock)])
        .when(warn())
        .thenNothing();
    });

    it('the breach timer ran first without a warning, then the warning: both facts are there once', () => {
      given(late.history)
        .when(breach())
        .thenMatches([{ type: 'SlaBreached' }]);
      given(breached)
        .when(warn())
        .thenMatches([{ type: 'SlaWarningRaised', data: expect.objectContaining({ warnAt: min(-45), at: NOW }) }]);
    });

    it('the warning timer ran first, past the due instant: the breach is recorded before it (catch-up)', () => {
      given([...late.history, engineerAssigned('eng-bob')])
        .when(warn())
        .then([
          slaBreached(late.clock, { at: NOW, engineerId: 'eng-bob', detectedBy: 'catch-up' }),
          reminderSent(late.clock, { at: NOW }),
          slaWarningRaised(late.clock, { at: NOW, engineerId: 'eng-bob' }),
        ]);
      // ... and the breach timer after it finds the breach recorded.
      given([...late.history, ...caseDecider.decide(warn(), stateAfter(late.history), context)])
        .when(breach())
        .thenNothing();
    });

    it('a breached clock answered since (late update) is owed no warning', () => {
      given([...breached, updateSent('initialResponse-1', { at: min(-0.5) })])
        .when(warn())
        .thenNothing();
    });

    it('a breached clock of a resolved case is owed no warning', () => {
      given([...breached, caseResolved(['initialResponse-1'], min(-0.5))])
        .when(warn())
        .thenNothing();
    });
  });

  it('a timer firing before warnAt is refused so that the scheduler retries', () => {
    given(severityACase(-10).history)
      .when(warn())
      .thenThrows(IllegalStateError, /not due before/);
  });
});

describe('RecordSlaBreach', () => {
  const { history, clock } = severityACase(-90); // due at -30

  it('records the breach (breachedAt = dueAt, recorded now) and reminds the assigned engineer', () => {
    given([...history, engineerAssigned('eng-bob')])
      .when(breach())
      .then([slaBreached(clock, { at: NOW, engineerId: 'eng-bob' }), reminderSent(clock, { at: NOW })]);
  });

  it('without an assigned engineer records the breach only', () => {
    given(history)
      .when(breach())
      .then([slaBreached(clock, { at: NOW })]);
  });

  it('breaches a clock that was in warning', () => {
    given([...history, slaWarningRaised(clock)])
      .when(breach())
      .then([slaBreached(clock, { at: NOW })]);
  });

  it('puts the clock in breached with breachedAt', () => {
    expect(stateAfter([...history, slaBreached(clock)]).sla.initialResponse).toMatchObject({
      state: 'breached',
      breachedAt: clock.data.dueAt,
    });
  });

  it('is idempotent: a second breach for the same clock records nothing', () => {
    given([...history, engineerAssigned('eng-bob'), slaBreached(clock, { engineerId: 'eng-bob' }), reminderSent(clock)])
      .when(breach())
      .thenNothing();
  });

  it('a clock met in time records nothing', () => {
    given([...history, updateSent('initialResponse-1', { at: min(-40) })])
      .when(breach())
      .thenNothing();
  });

  it('a stopped clock records nothing', () => {
    given([...history, caseResolved(['initialResponse-1'], min(-40))])
      .when(breach())
      .thenNothing();
  });

  it('a stale clockId records nothing', () => {
    given(history).when(breach('initialResponse-0')).thenNothing();
  });

  it('a timer firing before dueAt is refused so that the scheduler retries', () => {
    given(severityACase(-50).history)
      .when(breach())
      .thenThrows(IllegalStateError, /not due before/);
  });
});

describe('EscalateOverdue (automatic escalation to the manager)', () => {
  const { history, clock } = severityACase(-150); // due at -90, escalates at -30
  const escalated = {
    type: 'EscalatedToManager' as const,
    data: {
      caseId: CASE_ID,
      engineerId: 'eng-bob',
      managerId: 'mgr-carol',
      reason: 'update overdue',
      by: 'system',
      automatic: true,
      clockId: 'initialResponse-1',
      at: NOW,
    },
  };
  const breachedWithEngineer = [...history, engineerAssigned('eng-bob'), slaBreached(clock, { engineerId: 'eng-bob' })];

  it("escalates a still-unanswered breached clock to the engineer's manager, as the system", () => {
    given(breachedWithEngineer).when(escalate()).then([escalated]);
  });

  it('records escalatedAt on the clock', () => {
    expect(stateAfter([...breachedWithEngineer, escalated]).sla.initialResponse).toMatchObject({ escalatedAt: NOW });
  });

  it('is idempotent: once escalated for this clock, nothing more', () => {
    given([...breachedWithEngineer, escalated])
      .when(escalate())
      .thenNothing();
  });

  const toDutyManager = (engineerId: string | null, dutyManagerId: string | null, reason: string) => ({
    type: 'EscalatedToDutyManager' as const,
    data: {
      caseId: CASE_ID,
      engineerId,
      dutyManagerId,
      reason,
      by: 'system',
      automatic: true as const,
      clockId: 'initialResponse-1',
      at: NOW,
    },
  });
  const onDuty = (dutyManagerId: string | null): EscalateOverdue => ({
    type: 'EscalateOverdue',
    data: { clockId: 'initialResponse-1', dutyManagerId },
  });

  it('without an assigned engineer: to the duty manager', () => {
    given([...history, slaBreached(clock)])
      .when(onDuty('mgr-duty'))
      .then([toDutyManager(null, 'mgr-duty', 'update overdue; no engineer assigned')]);
  });

  it('an engineer without a manager: to the duty manager', () => {
    given([...history, engineerAssigned('mgr-carol', { managerId: null }), slaBreached(clock)])
      .when(onDuty('mgr-duty'))
      .then([toDutyManager('mgr-carol', 'mgr-duty', 'update overdue; engineer mgr-carol has no manager')]);
  });

  it('with nobody on duty: recorded as unowned (dutyManagerId null), once', () => {
    const unowned = toDutyManager(null, null, 'update overdue; no engineer assigned');
    given([...history, slaBreached(clock)])
      .when(onDuty(null))
      .then([unowned]);
    given([...history, slaBreached(clock), unowned])
      .when(onDuty('mgr-duty'))
      .thenNothing();
    expect(stateAfter([...history, slaBreached(clock), unowned])).toMatchObject({
      escalationCount: 1,
      sla: { initialResponse: { escalatedAt: NOW } },
    });
  });

  it('an engineer with a manager: to the manager, whoever is on duty', () => {
    given(breachedWithEngineer).when(onDuty('mgr-duty')).then([escalated]);
  });

  it('a breached clock answered since (late): nothing', () => {
    given([...breachedWithEngineer, updateSent('initialResponse-1', { at: min(-40) })])
      .when(escalate())
      .thenNothing();
  });

  it('a case resolved since: nothing', () => {
    given([...breachedWithEngineer, caseResolved(['initialResponse-1'], min(-40))])
      .when(escalate())
      .thenNothing();
  });

  it('a stale clockId: nothing', () => {
    given(breachedWithEngineer).when(escalate('nextUpdate-2')).thenNothing();
  });

  it('a clock whose breach timer never ran is recorded as breached (with the reminder) before escalating', () => {
    given([...history, engineerAssigned('eng-bob')])
      .when(escalate())
      .then([
        slaBreached(clock, { at: NOW, engineerId: 'eng-bob', detectedBy: 'catch-up' }),
        reminderSent(clock, { at: NOW }),
        escalated,
      ]);
  });

  it('a timer firing before escalateAt is refused so that the scheduler retries', () => {
    const early = severityACase(-100); // escalates at +20
    given([...early.history, engineerAssigned('eng-bob'), slaBreached(early.clock, { engineerId: 'eng-bob' })])
      .when(escalate())
      .thenThrows(IllegalStateError, /not due before/);
  });
});

describe('timer commands on cases that are not worked', () => {
  it('a case that does not exist: not found', () => {
    given([]).when(breach()).thenThrows(NotFoundError);
  });
  it('a routed case: refused', () => {
    given(routedCase())
      .when(warn())
      .thenThrows(IllegalStateError, /routed/);
  });
});
