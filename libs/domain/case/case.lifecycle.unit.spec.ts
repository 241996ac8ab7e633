import { IllegalStateError, NotFoundError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { CloseCase, ReopenCase, ResolveCase } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import { Case } from './case.state';
import {
  AGENT,
  CASE_ID,
  NOW,
  caseClosed,
  caseResolved,
  caseSubmitted,
  clockStarted,
  context,
  min,
  openCase,
  rejectedCase,
  routedCase,
  severityAssigned,
  slaBreached,
  updateSent,
} from './testing/case.fixtures';

const given = (events: CaseEvent[]) => spec(caseDecider, context).given(events);
const resolve: ResolveCase = { type: 'ResolveCase', data: { summary: 'fixed the connector', by: AGENT } };
const close: CloseCase = { type: 'CloseCase', data: { by: AGENT } };
const reopen: ReopenCase = { type: 'ReopenCase', data: { reason: 'mail stopped again', by: AGENT } };
const resolved = (stoppedClockIds: string[]) => caseResolved(stoppedClockIds, NOW);
const reopened = (previousStatus: 'resolved' | 'closed') => ({
  type: 'CaseReopened' as const,
  data: { caseId: CASE_ID, reason: 'mail stopped again', by: AGENT, previousStatus, at: NOW },
});
const stateAfter = (events: CaseEvent[]): Case => events.reduce(caseDecider.evolve, caseDecider.initialState()) as Case;

describe('ResolveCase', () => {
  it('resolves an open case, naming the clocks it stops', () => {
    given(openCase('B').history)
      .when(resolve)
      .then([resolved(['initialResponse-1'])]);
  });

  it('stops the running clock in state (met clocks stay met)', () => {
    const history = [
      ...openCase('B').history,
      updateSent('initialResponse-1'),
      clockStarted('nextUpdate', 2, 'B', min(-10), { cause: 'update-sent' }),
    ];
    const { sla, status, resolvedAt } = stateAfter([...history, resolved(['nextUpdate-2'])]);
    expect({ status, resolvedAt }).toEqual({ status: 'resolved', resolvedAt: NOW });
    expect(sla.initialResponse).toMatchObject({ state: 'met' });
    expect(sla.nextUpdate).toMatchObject({ state: 'stopped', stoppedAt: NOW });
  });

  it('records a clock found past due as breached first; it stays breached once stopped', () => {
    const clock = clockStarted('initialResponse', 1, 'A', min(-90));
    const history = [caseSubmitted({}, min(-90)), severityAssigned('A', { at: min(-90) }), clock];
    given(history)
      .when(resolve)
      .then([slaBreached(clock, { at: NOW, detectedBy: 'catch-up' }), resolved(['initialResponse-1'])]);
    const after = stateAfter([
      ...history,
      slaBreached(clock, { at: NOW, detectedBy: 'catch-up' }),
      resolved(['initialResponse-1']),
    ]);
    expect(after.sla.initialResponse).toMatchObject({ state: 'breached', stoppedAt: NOW });
  });

  it('resolves a case without severity (no clock)', () => {
    given([caseSubmitted()])
      .when(resolve)
      .then([resolved([])]);
  });
});

describe('CloseCase', () => {
  it('closes a resolved case', () => {
    given([...openCase('B').history, caseResolved(['initialResponse-1'])])
      .when(close)
      .then([{ type: 'CaseClosed', data: { caseId: CASE_ID, by: AGENT, at: NOW } }]);
  });
});

describe('ReopenCase', () => {
  it('a resolved case never answered resumes its initial-response clock with the time it had left (never a fresh window)', () => {
    // Started 10:30 before NOW-30min, due at +90min; resolved at -5min (95 min left); reopened at NOW.
    given([...openCase('B').history, caseResolved(['initialResponse-1'])])
      .when(reopen)
      .then([
        reopened('resolved'),
        {
          type: 'SlaClockResumed',
          data: {
            caseId: CASE_ID,
            clock: 'initialResponse',
            clockId: 'initialResponse-1',
            cause: 'case-reopened',
            pausedAt: min(-5),
            resumedAt: NOW,
            pausedMs: 5 * 60_000,
            pausedFor: 'PT5M',
            dueAt: min(95),
            warnAt: min(65),
            escalateAt: min(155),
            by: AGENT,
            at: NOW,
          },
        },
      ]);
  });

  it('a closed case already answered reopens with a next-update clock from now', () => {
    const history = [
      ...openCase('B').history,
      updateSent('initialResponse-1'),
      clockStarted('nextUpdate', 2, 'B', min(-10), { cause: 'update-sent' }),
      caseResolved(['nextUpdate-2']),
      caseClosed(),
    ];
    given(history)
      .when(reopen)
      .then([reopened('closed'), clockStarted('nextUpdate', 3, 'B', NOW, { cause: 'case-reopened' })]);
  });

  it('a case without severity reopens without a clock', () => {
    given([caseSubmitted(), caseResolved([])])
      .when(reopen)
      .then([reopened('resolved')]);
  });

  it('the reopened case is open again, its resolution cleared from the current state', () => {
    const state = stateAfter([
      ...openCase('B').history,
      caseResolved(['initialResponse-1']),
      caseClosed(),
      reopened('closed'),
    ]);
    expect(state).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null, reopenedAt: NOW });
  });
});

describe('refused transitions', () => {
  const resolvedCase = [...openCase('B').history, caseResolved(['initialResponse-1'])];
  const closedCase = [...resolvedCase, caseClosed()];

  it('resolve a resolved case', () => {
    given(resolvedCase)
      .when(resolve)
      .thenThrows(IllegalStateError, /cannot resolve: case SR-0001 is resolved/);
  });
  it('resolve a closed case', () => {
    given(closedCase)
      .when(resolve)
      .thenThrows(IllegalStateError, /is closed/);
  });
  it('close an open case (it must be resolved first)', () => {
    given(openCase('B').history)
      .when(close)
      .thenThrows(IllegalStateError, /cannot close: case SR-0001 is open \(allowed when resolved\)/);
  });
  it('close a closed case', () => {
    given(closedCase)
      .when(close)
      .thenThrows(IllegalStateError, /is closed/);
  });
  it('reopen an open case', () => {
    given(openCase('B').history)
      .when(reopen)
      .thenThrows(IllegalStateError, /cannot reopen: case SR-0001 is open/);
  });
  it('resolve a routed case', () => {
    given(routedCase())
      .when(resolve)
      .thenThrows(IllegalStateError, /routed to the billing team/);
  });
  it('close a routed case', () => {
    given(routedCase())
      .when(close)
      .thenThrows(IllegalStateError, /routed/);
  });
  it('reopen a rejected case', () => {
    given(rejectedCase())
      .when(reopen)
      .thenThrows(IllegalStateError, /rejected/);
  });
  it('close a rejected case', () => {
    given(rejectedCase())
      .when(close)
      .thenThrows(IllegalStateError, /rejected/);
  });
  it('resolve a case that does not exist', () => {
    given([])
      .when(resolve)
      .thenThrows(NotFoundError, /case not found/);
  });
  it('close a case that does not exist', () => {
    given([]).when(close).thenThrows(NotFoundError);
  });
  it('reopen a case that does not exist', () => {
    given([]).when(reopen).thenThrows(NotFoundError);
  });
});
