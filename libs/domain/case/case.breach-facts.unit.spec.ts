import { spec } from '../shared/given-when-then';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import { Case } from './case.state';
import {
  AGENT,
  caseResolved,
  clockStarted,
  context,
  min,
  openCase,
  openedSubmission,
  slaBreached,
} from './testing/case.fixtures';

const stateAfter = (events: CaseEvent[]): Case => events.reduce(caseDecider.evolve, caseDecider.initialState()) as Case;
const decideAt = (events: CaseEvent[], command: Parameters<typeof caseDecider.decide>[0], m: number) =>
  caseDecider.decide(command, stateAfter(events), { ...context, now: min(m) });
const resolve = { type: 'ResolveCase' as const, data: { summary: 'fixed', by: AGENT } };
const close = { type: 'CloseCase' as const, data: { by: AGENT } };
const reopen = { type: 'ReopenCase' as const, data: { reason: 'again', by: AGENT } };
const update = { type: 'LogUpdate' as const, data: { channel: 'email' as const, summary: 'late answer', by: AGENT } };

describe('breaches are facts and clocks cannot be reset', () => {
  // A (1 h) submitted at -90: due at -30.
  const overdue = openedSubmission({ proposedSeverity: 'A' }, min(-90));
  const clock = overdue[overdue.length - 1] as ReturnType<typeof clockStarted>;

  it('resolving past due records the breach first', () => {
    expect(decideAt(overdue, resolve, 0).map((e) => e.type)).toEqual(['SlaBreached', 'CaseResolved']);
  });

  it('changing severity past due records the breach first and does not restart the breached clock', () => {
    const events = decideAt(overdue, { type: 'AssignSeverity', data: { severity: 'C', reason: 'r', by: AGENT } }, 0);
    expect(events.map((e) => e.type)).toEqual(['SlaBreached', 'SeverityAssigned']);
  });

  it('reopening never erases a breach: the case keeps it, and the resumed clock stays breached until a late answer', () => {
    const resolved = [...overdue, slaBreached(clock, { at: min(-30) }), caseResolved(['initialResponse-1'], min(-20))];
    const reopened = [...resolved, ...decideAt(resolved, reopen, 0)];
    const state = stateAfter(reopened);
    expect(state.slaBreaches).toEqual([
      { clockId: 'initialResponse-1', clock: 'initialResponse', severity: 'A', dueAt: min(-30), recordedAt: min(-30) },
    ]);
    expect(state.sla.initialResponse).toMatchObject({ state: 'breached', breachedAt: min(-30) });
    expect(state.sla.initialResponse?.stoppedAt).toBeUndefined();
    // A late answer stays a breach (metAt set, state breached), and no second breach is recorded.
    const answered = stateAfter([...reopened, ...decideAt(reopened, update, 5)]);
    expect(answered.sla.initialResponse).toMatchObject({ state: 'breached', metAt: min(5) });
    expect(answered.slaBreaches).toHaveLength(1);
  });

  it('a resolve + reopen pair does not give an unanswered case a fresh window: the time before resolution counts', () => {
    // B (2 h) from -30: due at +90. Resolved at +80 (10 min left), reopened at +200: due at +210, not +320.
    const { history } = openCase('B');
    const resolved = [...history, ...decideAt(history, resolve, 80)];
    const reopened = [...resolved, ...decideAt(resolved, reopen, 200)];
    expect(stateAfter(reopened).sla.initialResponse).toMatchObject({
      clockId: 'initialResponse-1',
      state: 'running',
      dueAt: min(210),
    });
    // ...and it breaches 10 minutes after the reopening.
    spec(caseDecider, { ...context, now: min(210) })
      .given(reopened)
      .when({ type: 'RecordSlaBreach', data: { clockId: 'initialResponse-1' } })
      .thenMatches([{ type: 'SlaBreached', data: { dueAt: min(210) } }]);
  });

  it('closing runs the same catch-up (nothing left to record on a resolved case)', () => {
    const resolved = [...overdue, ...decideAt(overdue, resolve, 0)];
    expect(decideAt(resolved, close, 1).map((e) => e.type)).toEqual(['CaseClosed']);
  });
});
