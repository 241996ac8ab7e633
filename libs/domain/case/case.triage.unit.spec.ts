import { IllegalStateError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { AssignSeverity, RaiseTriageAlert } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import { Case } from './case.state';
import {
  AGENT,
  CASE_ID,
  NOW,
  caseResolved,
  clockStarted,
  context,
  fakeClocks,
  min,
  openedSubmission,
  severityAssigned,
  slaBreached,
  submitCase,
} from './testing/case.fixtures';

const given = (events: CaseEvent[]) => spec(caseDecider, context).given(events);
const stateAfter = (events: CaseEvent[]): Case => events.reduce(caseDecider.evolve, caseDecider.initialState()) as Case;
const triage = (severity: 'A' | 'B' | 'C', reason = 'one user, workaround available'): AssignSeverity => ({
  type: 'AssignSeverity',
  data: { severity, reason, by: AGENT },
});
const triageAlert: RaiseTriageAlert = { type: 'RaiseTriageAlert', data: {} };

describe('clock from submission', () => {
  it('given no proposed severity, when submitted, then the initial-response clock starts at submission under the policy untriaged severity', () => {
    const untriagedC = { ...fakeClocks, caseRules: { ...fakeClocks.caseRules, untriagedSeverity: 'C' as const } };
    spec(caseDecider, { ...context, clocks: untriagedC })
      .given([])
      .when(submitCase())
      .thenMatches([
        { type: 'CaseSubmitted', data: { proposedSeverity: null, triageDueAt: min(30) } },
        { type: 'SeverityAssigned', data: { severity: 'C', by: 'system', triage: false } },
        {
          type: 'SlaClockStarted',
          data: { clock: 'initialResponse', severity: 'C', startedAt: NOW, cause: 'case-submitted' },
        },
      ]);
  });

  it('the case shows severity, proposedSeverity and no triage yet', () => {
    const state = stateAfter(openedSubmission({ proposedSeverity: 'A' }));
    expect(state).toMatchObject({
      severity: 'A',
      proposedSeverity: 'A',
      triagedAt: null,
      triagedBy: null,
      triageDueAt: min(0),
    });
    expect(state.sla.initialResponse).toMatchObject({ state: 'running', startedAt: min(-30), dueAt: min(30) });
  });
});

describe('triage: staff decide the severity with AssignSeverity', () => {
  it('given a proposed A, when staff set C, then the triage is recorded and the clock restarts under C from the submission', () => {
    given(openedSubmission({ proposedSeverity: 'A' }))
      .when(triage('C'))
      .then([
        severityAssigned('C', {
          previousSeverity: 'A',
          at: NOW,
          reason: 'one user, workaround available',
          triage: true,
        }),
        clockStarted('initialResponse', 2, 'C', min(-30), {
          cause: 'severity-changed',
          replacesClockId: 'initialResponse-1',
          at: NOW,
        }),
      ]);
  });

  it('records who triaged and when; confirming the running severity is a triage too and moves no clock', () => {
    const history = openedSubmission();
    const events = caseDecider.decide(triage('B', 'confirmed'), stateAfter(history), context);
    expect(events).toEqual([
      severityAssigned('B', { previousSeverity: 'B', at: NOW, reason: 'confirmed', triage: true }),
    ]);
    expect(stateAfter([...history, ...events])).toMatchObject({ triagedAt: NOW, triagedBy: AGENT, severity: 'B' });
  });

  it('a later change is not a new triage: triagedAt stays the first', () => {
    const history = [
      ...openedSubmission(),
      severityAssigned('B', { previousSeverity: 'B', at: min(-20), triage: true }),
    ];
    given(history)
      .when(triage('C'))
      .thenMatches([{ type: 'SeverityAssigned', data: { severity: 'C', triage: false } }, { type: 'SlaClockStarted' }]);
    const state = stateAfter([...history, severityAssigned('C', { previousSeverity: 'B', at: NOW, triage: false })]);
    expect(state).toMatchObject({ triagedAt: min(-20), triagedBy: AGENT });
  });

  it('a triage after the due instant first records the breach (counted from the submission), then moves nothing breached', () => {
    const history = openedSubmission({ proposedSeverity: 'A' }, min(-90)); // A: due 60 min after submission
    const clock = history[history.length - 1] as ReturnType<typeof clockStarted>;
    given(history)
      .when(triage('C'))
      .then([
        slaBreached(clock, { at: NOW, detectedBy: 'catch-up' }),
        severityAssigned('C', {
          previousSeverity: 'A',
          at: NOW,
          reason: 'one user, workaround available',
          triage: true,
        }),
      ]);
  });

  it('old streams: a staff SeverityAssigned without the triage flag counts as the triage; the proposal at submission does not', () => {
    const legacy = [
      { ...openedSubmission()[0] },
      severityAssigned('B', { by: 'partner:p-contoso', reason: 'proposed at submission' }),
    ];
    expect(stateAfter(legacy).triagedAt).toBeNull();
    expect(stateAfter([...legacy, severityAssigned('C', { at: NOW })])).toMatchObject({
      triagedAt: NOW,
      triagedBy: AGENT,
    });
  });
});

describe('triageWithin: an untriaged case raises an at-risk alert', () => {
  const opened = openedSubmission({}, min(-30)); // triageDueAt = NOW

  it('given an untriaged case at its triageDueAt, then TriageAtRisk', () => {
    given(opened)
      .when(triageAlert)
      .then([
        {
          type: 'TriageAtRisk',
          data: { caseId: CASE_ID, clock: 'triage', severity: 'B', triageDueAt: NOW, submittedAt: min(-30), at: NOW },
        },
      ]);
  });

  it('is refused before its instant (the scheduler waits until notBefore)', () => {
    given(openedSubmission({}, min(-10)))
      .when(triageAlert)
      .thenThrows(IllegalStateError, /not due before/);
  });

  it('records nothing once triaged, once raised, or once resolved', () => {
    given([...opened, severityAssigned('B', { at: min(-5), triage: true })])
      .when(triageAlert)
      .thenNothing();
    given([
      ...opened,
      {
        type: 'TriageAtRisk',
        data: { caseId: CASE_ID, clock: 'triage', severity: 'B', triageDueAt: NOW, submittedAt: min(-30), at: NOW },
      },
    ])
      .when(triageAlert)
      .thenNothing();
    given([...opened, caseResolved(['initialResponse-1'], min(-1))])
      .when(triageAlert)
      .thenNothing();
  });
});
