import { CaseContext, CloseCase, LogUpdate, ReopenCase, ResolveCase } from './case.commands';
import { CaseEvent } from './case.events';
import { replayCase as replay } from './case.evolve';
import { requireOpen, requireStatus, requireWorkedCase } from './case.guards';
import { CaseState, liveClocks } from './case.state';
import { catchUpBreaches, pauseClock, pendingClockKind, resumeClock, startClock } from './sla-clocks';

// Updates, resolution, closure and reopening, with what each does to the SLA clocks.

/** An update answers the live clock (after recording a breach its timer missed) and starts the next. */
export function logUpdate({ data }: Pick<LogUpdate, 'data'>, state: CaseState, context: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'log an update');
  const breaches = catchUpBreaches(open, context.now, false);
  const beforeUpdate = replay(open, breaches);
  const answered = liveClocks(beforeUpdate)[0] ?? null;
  const events: CaseEvent[] = [
    ...breaches,
    {
      type: 'UpdateSent',
      data: {
        caseId: open.caseId,
        channel: data.channel,
        summary: data.summary,
        by: data.by,
        initialResponse: open.initialResponseAt === null,
        meetsClockId: answered?.clockId ?? null,
        at: context.now,
      },
    },
  ];
  if (open.severity === null) return events;
  const afterUpdate = replay(open, events);
  const next = startClock(afterUpdate, 'nextUpdate', open.severity, context.now, 'update-sent', context);
  // While staff wait on the partner, another update does not end the wait: the next clock is paused too.
  const wait = open.awaitingPartner;
  if (!wait) return [...events, next];
  const pause = { reason: wait.reason, pausedAt: context.now, autoResumeAt: wait.autoResumeAt };
  return [...events, next, pauseClock(open, next.data, pause, data.by, context.now)];
}

export function resolve({ data }: ResolveCase, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'resolve');
  const breaches = catchUpBreaches(open, now, false);
  const stoppedClockIds = liveClocks(replay(open, breaches)).map((c) => c.clockId);
  return [
    ...breaches,
    {
      type: 'CaseResolved',
      data: { caseId: open.caseId, summary: data.summary, by: data.by, stoppedClockIds, at: now },
    },
  ];
}

/** Like resolving, closing first records any breach a timer missed (a resolved case's clocks are stopped, so normally none). */
export function close({ data }: CloseCase, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const resolved = requireStatus(requireWorkedCase(state, 'close'), ['resolved'], 'close');
  return [
    ...catchUpBreaches(resolved, now, false),
    { type: 'CaseClosed', data: { caseId: resolved.caseId, by: data.by, at: now } },
  ];
}

export function reopen({ data }: ReopenCase, state: CaseState, context: CaseContext): CaseEvent[] {
  const done = requireStatus(requireWorkedCase(state, 'reopen'), ['resolved', 'closed'], 'reopen');
  const reopened: CaseEvent = {
    type: 'CaseReopened',
    data: {
      caseId: done.caseId,
      reason: data.reason,
      by: data.by,
      previousStatus: done.status as 'resolved' | 'closed',
      at: context.now,
    },
  };
  if (done.severity === null) return [reopened];
  const open = replay(done, [reopened]);
  // Never answered: the initial-response clock resumes with the time it had left (the time spent
  // resolved or closed does not count, the time before does); a breach it had stays recorded.
  const initial = open.sla.initialResponse;
  if (open.initialResponseAt === null && initial && initial.metAt === undefined && initial.stoppedAt !== undefined) {
    return [reopened, resumeClock(open, initial, initial.stoppedAt, 'case-reopened', data.by, context)];
  }
  return [reopened, startClock(open, pendingClockKind(open), done.severity, context.now, 'case-reopened', context)];
}
