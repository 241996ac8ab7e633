import { Case } from './case.state';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import { clockAsOf, slaAsOf } from './sla-as-of';
import { caseSubmitted, clockStarted, min, severityAssigned, slaBreached, updateSent } from './testing/case.fixtures';

const stateAfter = (events: CaseEvent[]): Case => events.reduce(caseDecider.evolve, caseDecider.initialState()) as Case;

describe('slaAsOf: the SLA as it truly stood at an instant, even if a timer fired late', () => {
  // Severity A from -60: warns at -15, due at NOW.
  const clock = clockStarted('initialResponse', 1, 'A', min(-60));
  const running = stateAfter([caseSubmitted({}, min(-60)), severityAssigned('A', { at: min(-60) }), clock]);

  it('a running clock before its warnAt is running', () => {
    expect(slaAsOf(running, min(-20)).initialResponse).toMatchObject({ state: 'running' });
  });

  it('a running clock at or after its warnAt is at risk (warning)', () => {
    expect(slaAsOf(running, min(-15)).initialResponse).toMatchObject({ state: 'warning', warnedAt: clock.data.warnAt });
  });

  it('a running clock at or after its dueAt is breached, breachedAt = dueAt', () => {
    expect(slaAsOf(running, min(0)).initialResponse).toMatchObject({ state: 'breached', breachedAt: clock.data.dueAt });
    expect(slaAsOf(running, min(5)).initialResponse).toMatchObject({ state: 'breached' });
  });

  it('keeps the policy version and the absent next-update clock', () => {
    expect(slaAsOf(running, min(5))).toMatchObject({ policyVersion: 'test-policy-1', nextUpdate: null });
  });

  it('recorded facts are returned as they are: met stays met', () => {
    const met = stateAfter([
      caseSubmitted({}, min(-60)),
      severityAssigned('A', { at: min(-60) }),
      clock,
      updateSent('initialResponse-1', { at: min(-30) }),
    ]);
    expect(slaAsOf(met, min(60)).initialResponse).toMatchObject({ state: 'met', metAt: min(-30) });
  });

  it('compares instants, not strings (offsets and precision may differ)', () => {
    const c = {
      ...running.sla.initialResponse!,
      dueAt: '2026-11-23T11:00:00+01:00',
      warnAt: '2026-11-23T10:45:00+01:00',
    };
    expect(clockAsOf(c, '2026-11-23T10:00:00Z').state).toBe('breached');
  });

  it('a recorded breach is unchanged', () => {
    const breached = stateAfter([
      caseSubmitted({}, min(-60)),
      severityAssigned('A', { at: min(-60) }),
      clock,
      slaBreached(clock),
    ]);
    expect(slaAsOf(breached, min(60)).initialResponse).toEqual({
      ...breached.sla.initialResponse,
      recordedState: 'breached',
    });
  });
});

describe('state (what was true) and recordedState (what the system had recorded by then)', () => {
  const clock = clockStarted('initialResponse', 1, 'A', min(-60));
  const running = stateAfter([caseSubmitted({}, min(-60)), severityAssigned('A', { at: min(-60) }), clock]);

  it('a late timer: true state breached, recorded state still running', () => {
    expect(slaAsOf(running, min(5)).initialResponse).toMatchObject({ state: 'breached', recordedState: 'running' });
  });

  it('once recorded, both say breached', () => {
    const breached = stateAfter([
      caseSubmitted({}, min(-60)),
      severityAssigned('A', { at: min(-60) }),
      clock,
      slaBreached(clock),
    ]);
    expect(slaAsOf(breached, min(5)).initialResponse).toMatchObject({ state: 'breached', recordedState: 'breached' });
  });

  it('a paused clock stays paused past its due, with pausedFor counted up to the instant in the given calendar', () => {
    const paused = {
      ...running,
      sla: {
        ...running.sla,
        initialResponse: {
          ...running.sla.initialResponse!,
          state: 'paused' as const,
          pausedAt: min(-30),
          pausedMs: 600_000,
        },
      },
    };
    expect(slaAsOf(paused, min(60)).initialResponse).toMatchObject({
      state: 'paused',
      recordedState: 'paused',
      pausedFor: 'PT1H40M',
    });
    expect(slaAsOf(paused, min(60), () => 0).initialResponse).toMatchObject({ pausedFor: 'PT10M' });
  });
});
