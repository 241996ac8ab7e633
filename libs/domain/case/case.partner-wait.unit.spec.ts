import { IllegalStateError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { AwaitPartner, CaseContext, RecordPartnerReply, ResumeClock } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent, SlaClockStarted } from './case.events';
import { Case } from './case.state';
import {
  AGENT,
  CASE_ID,
  NOW,
  PARTNER,
  clockStarted,
  context,
  engineerAssigned,
  min,
  openedSubmission,
  updateSent,
} from './testing/case.fixtures';

const HOUR = 60;
const at = (m: number): Partial<CaseContext> => ({ now: min(m) });
const given = (events: CaseEvent[]) => spec(caseDecider, context).given(events);
const stateAfter = (events: CaseEvent[]): Case => events.reduce(caseDecider.evolve, caseDecider.initialState()) as Case;
const decideAt = (events: CaseEvent[], command: Parameters<typeof caseDecider.decide>[0], m: number) =>
  caseDecider.decide(command, stateAfter(events), { ...context, ...at(m) });

const awaitPartner: AwaitPartner = {
  type: 'AwaitPartner',
  data: { reason: 'information-requested', summary: 'Please send the message trace', by: AGENT },
};
const reply: RecordPartnerReply = { type: 'RecordPartnerReply', data: { summary: 'Trace attached', by: PARTNER } };
const resumeByStaff: ResumeClock = { type: 'ResumeClock', data: { by: AGENT } };
const FIVE_DAYS = 5 * 24 * HOUR;

/** An A case (24x7 in the fake calendar) submitted 30 min ago, with an engineer and a manager. */
const opened = [...openedSubmission({ proposedSeverity: 'A' }), engineerAssigned()];

describe('AwaitPartner: staff wait on the partner', () => {
  it('sends the summary as an update (answering the running clock), starts the next-update clock and pauses it', () => {
    const next = clockStarted('nextUpdate', 2, 'A', NOW, { cause: 'update-sent' });
    given(opened)
      .when(awaitPartner)
      .then([
        updateSent('initialResponse-1', { at: NOW, by: AGENT, summary: 'Please send the message trace' }),
        next,
        {
          type: 'AwaitingPartner',
          data: {
            caseId: CASE_ID,
            reason: 'information-requested',
            summary: 'Please send the message trace',
            by: AGENT,
            autoResumeAt: min(FIVE_DAYS),
            at: NOW,
          },
        },
        {
          type: 'SlaClockPaused',
          data: {
            caseId: CASE_ID,
            clock: 'nextUpdate',
            clockId: 'nextUpdate-2',
            reason: 'information-requested',
            pausedAt: NOW,
            autoResumeAt: min(FIVE_DAYS),
            by: AGENT,
            at: NOW,
          },
        },
      ]);
    const state = stateAfter([...opened, ...caseDecider.decide(awaitPartner, stateAfter(opened), context)]);
    expect(state.status).toBe('awaiting-partner');
    expect(state.sla.nextUpdate).toMatchObject({ state: 'paused', pausedAt: NOW, autoResumeAt: min(FIVE_DAYS) });
  });

  it('is refused while already waiting', () => {
    const waiting = [...opened, ...decideAt(opened, awaitPartner, 0)];
    spec(caseDecider, context)
      .given(waiting)
      .when(awaitPartner)
      .thenThrows(IllegalStateError, /is awaiting-partner/);
  });
});

describe('a paused clock never warns, breaches, reminds or escalates', () => {
  const waiting = [...opened, ...decideAt(opened, awaitPartner, 0)]; // nextUpdate-2: due NOW+2h, escalate NOW+3h (if running)
  it.each([
    ['RaiseSlaWarning', 90],
    ['RecordSlaBreach', 2 * HOUR],
    ['EscalateOverdue', 10 * HOUR],
  ] as const)('%s at +%i min: nothing', (type, m) => {
    spec(caseDecider, { ...context, ...at(m) })
      .given(waiting)
      .when({ type, data: { clockId: 'nextUpdate-2' } })
      .thenNothing();
  });

  it('a command long past the original due records no catch-up breach for it', () => {
    const events = decideAt(waiting, { type: 'ResolveCase', data: { summary: 'done', by: AGENT } }, 20 * HOUR);
    expect(events.map((e) => e.type)).toEqual(['CaseResolved']);
    expect(stateAfter([...waiting, ...events]).sla.nextUpdate).toMatchObject({ state: 'stopped' });
  });
});

describe('resuming moves due, warning and escalation later by exactly the paused clock time', () => {
  const waiting = [...opened, ...decideAt(opened, awaitPartner, 0)];
  const clock = (
    waiting.find((e) => e.type === 'SlaClockStarted' && e.data.clockId === 'nextUpdate-2') as SlaClockStarted
  ).data;
  const moved = (instant: string, m: number) => new Date(Date.parse(instant) + m * 60_000).toISOString();

  it('the partner replies 3 h later: SlaClockResumed (+3 h), PartnerReplied, the case is open again', () => {
    spec(caseDecider, { ...context, ...at(3 * HOUR) })
      .given(waiting)
      .when(reply)
      .then([
        {
          type: 'SlaClockResumed',
          data: {
            caseId: CASE_ID,
            clock: 'nextUpdate',
            clockId: 'nextUpdate-2',
            cause: 'partner-replied',
            pausedAt: NOW,
            resumedAt: min(3 * HOUR),
            pausedMs: 3 * 3_600_000,
            pausedFor: 'PT3H',
            dueAt: moved(clock.dueAt, 3 * HOUR),
            warnAt: moved(clock.warnAt, 3 * HOUR),
            escalateAt: moved(clock.escalateAt, 3 * HOUR),
            by: PARTNER,
            at: min(3 * HOUR),
          },
        },
        {
          type: 'PartnerReplied',
          data: { caseId: CASE_ID, summary: 'Trace attached', by: PARTNER, at: min(3 * HOUR) },
        },
      ]);
    const after = stateAfter([...waiting, ...decideAt(waiting, reply, 3 * HOUR)]);
    expect(after).toMatchObject({ status: 'open', awaitingPartner: null, lastPartnerReplyAt: min(3 * HOUR) });
    expect(after.sla.nextUpdate).toMatchObject({
      state: 'running',
      dueAt: moved(clock.dueAt, 3 * HOUR),
      pausedMs: 3 * 3_600_000,
    });
    expect(after.sla.nextUpdate?.pausedAt).toBeUndefined();
  });

  it('then the moved instants are the ones timers answer to: a warning at the old instant is put off', () => {
    const resumed = [...waiting, ...decideAt(waiting, reply, 3 * HOUR)];
    spec(caseDecider, { ...context, now: moved(clock.warnAt, 60) })
      .given(resumed)
      .when({ type: 'RaiseSlaWarning', data: { clockId: 'nextUpdate-2' } })
      .thenThrows(IllegalStateError, /not due before/);
    spec(caseDecider, { ...context, now: moved(clock.dueAt, 3 * HOUR) })
      .given(resumed)
      .when({ type: 'RecordSlaBreach', data: { clockId: 'nextUpdate-2' } })
      .thenMatches([
        { type: 'SlaBreached', data: { dueAt: moved(clock.dueAt, 3 * HOUR) } },
        { type: 'UpdateReminderSent' },
      ]);
  });

  it('staff resume: cause staff; refused when not waiting', () => {
    spec(caseDecider, { ...context, ...at(HOUR) })
      .given(waiting)
      .when(resumeByStaff)
      .thenMatches([{ type: 'SlaClockResumed', data: { cause: 'staff', pausedFor: 'PT1H', by: AGENT } }]);
    given(opened)
      .when(resumeByStaff)
      .thenThrows(IllegalStateError, /is open \(allowed when awaiting-partner\)/);
  });

  it('a partner reply on a case not waiting is recorded and moves nothing', () => {
    given(opened)
      .when(reply)
      .then([{ type: 'PartnerReplied', data: { caseId: CASE_ID, summary: 'Trace attached', by: PARTNER, at: NOW } }]);
  });

  it('auto-resume: refused before autoResumeAt, then resumes by itself as system', () => {
    const auto = { type: 'AutoResumeClock' as const, data: { clockId: 'nextUpdate-2' } };
    spec(caseDecider, { ...context, ...at(FIVE_DAYS - 1) })
      .given(waiting)
      .when(auto)
      .thenThrows(IllegalStateError, /not due before/);
    spec(caseDecider, { ...context, ...at(FIVE_DAYS) })
      .given(waiting)
      .when(auto)
      .thenMatches([{ type: 'SlaClockResumed', data: { cause: 'auto-resume', by: 'system', pausedFor: 'PT120H' } }]);
    const resumed = [...waiting, ...decideAt(waiting, resumeByStaff, HOUR)];
    spec(caseDecider, { ...context, ...at(FIVE_DAYS) })
      .given(resumed)
      .when(auto)
      .thenNothing();
  });
});

describe('a pause survives severity changes and further updates', () => {
  const waiting = [...opened, ...decideAt(opened, awaitPartner, 0)];

  it('a severity change restarts the paused clock under the new severity, still paused from the same instant', () => {
    const events = decideAt(
      waiting,
      { type: 'AssignSeverity', data: { severity: 'C', reason: 'workaround', by: AGENT } },
      HOUR,
    );
    expect(events.map((e) => e.type)).toEqual(['SeverityAssigned', 'SlaClockStarted', 'SlaClockPaused']);
    expect(events[2]).toMatchObject({
      data: { clockId: 'nextUpdate-3', pausedAt: NOW, autoResumeAt: min(FIVE_DAYS), reason: 'information-requested' },
    });
    const after = stateAfter([...waiting, ...events]);
    expect(after.status).toBe('awaiting-partner');
    expect(after.sla.nextUpdate).toMatchObject({
      clockId: 'nextUpdate-3',
      severity: 'C',
      state: 'paused',
      pausedAt: NOW,
    });
  });

  it('earlier pauses stay counted when a resumed clock is restarted', () => {
    const resumed = [...waiting, ...decideAt(waiting, reply, 2 * HOUR)];
    const events = decideAt(
      resumed,
      { type: 'AssignSeverity', data: { severity: 'C', reason: 'workaround', by: AGENT } },
      3 * HOUR,
    );
    const restarted = events.find((e) => e.type === 'SlaClockStarted') as SlaClockStarted;
    // C next update: 24 h in the fake calendar, from the original start (NOW), plus the 2 h paused.
    expect(restarted.data).toMatchObject({
      startedAt: NOW,
      dueAt: min(26 * HOUR),
      pauses: [{ from: NOW, to: min(2 * HOUR) }],
      pausedMs: 2 * 3_600_000,
    });
  });

  it('another update while waiting answers the paused clock and the next one starts paused too', () => {
    const events = decideAt(
      waiting,
      { type: 'LogUpdate', data: { channel: 'email', summary: 'reminder', by: AGENT } },
      HOUR,
    );
    expect(events.map((e) => e.type)).toEqual(['UpdateSent', 'SlaClockStarted', 'SlaClockPaused']);
    expect(stateAfter([...waiting, ...events]).sla.nextUpdate).toMatchObject({
      clockId: 'nextUpdate-3',
      state: 'paused',
    });
  });
});
