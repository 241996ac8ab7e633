/**
 * The case decider: decide(command, state, context) -> events; evolve(state, event) -> state.
 *
 * Lifecycle: SubmitCase -> open | routed | rejected. Routed and rejected cases are recorded for
 * audit only: every later command on them is refused (409). open -> resolved (ResolveCase) ->
 * closed (CloseCase); a case is closed only once resolved, so every closed case carries a
 * resolution summary. ReopenCase takes a resolved or closed case back to open.
 *
 * Severity: A needs a partner available 24x7. Otherwise the A is recorded as asked
 * (SeverityAssigned A) and immediately lowered (SeverityLowered A -> B); the same lowering follows
 * a partner withdrawing its 24x7 availability from an A case. Becoming available again does not
 * raise the severity: that takes a new AssignSeverity.
 *
 * SLA clocks (SlaClockStarted, ids `${kind}-${n}`, due instants from context.clocks):
 * - the initial-response clock starts at submission, under the proposed severity (after the 24x7
 *   rule) or the policy's untriaged severity; staff's first AssignSeverity is the triage (recorded
 *   on the case) and follows the severity-change rule. (Cases submitted before this had no clock
 *   until their first severity, which started one from then: still folded and decided that way.)
 * - each update answers the live clock (met, or answered late if breached) and starts a
 *   next-update clock from the update's time;
 * - resolution/closure stops live clocks (recording first a breach a timer missed: breaches are
 *   facts); reopening a never-answered case resumes its initial-response clock with the time it
 *   had left (SlaClockResumed), otherwise starts a next-update clock from the reopening;
 * - waiting on the partner (AwaitPartner) pauses the next-update clock; a reply, staff or the
 *   auto-resume timer resume it with its instants moved by the paused clock time (see
 *   decide-partner-wait.ts). A paused clock never warns, breaches or escalates.
 * SEVERITY-CHANGE RULE: when the effective severity changes, each clock still running (or at
 * warning) is restarted under the new severity counted from its ORIGINAL startedAt: a new
 * SlaClockStarted with a new clockId, the same startedAt, new due/warn/escalate instants and
 * replacesClockId naming the old one. Elapsed time is never lost and a clock is never silently
 * restarted; met and breached clocks are facts and are left as they are. A clock already past
 * due when a change arrives is first recorded as breached (timers may be late), so it is kept.
 *
 * Timer commands (RaiseSlaWarning, RecordSlaBreach, EscalateOverdue) are idempotent: see
 * sla-timers.ts.
 */
import { Decider } from '../shared/decider';
import { CaseCommand, CaseContext } from './case.commands';
import { CASE_EVENT_TYPES, CaseEvent } from './case.events';
import { evolveCase } from './case.evolve';
import { CaseState } from './case.state';
import { assignEngineer, escalate, severityACall, takeQueuedCall } from './decide-assignment';
import { close, logUpdate, reopen, resolve } from './decide-lifecycle';
import { assignSeverity, setPartnerAvailability } from './decide-severity';
import { submit } from './decide-submission';
import { escalateOverdue, raiseSlaWarning, recordSlaBreach } from './sla-timers';
import { autoResume, awaitPartner, raiseTriageAlert, recordPartnerReply, resume } from './decide-partner-wait';
import { escalateToBillingFeedback } from './decide-billing-feedback';

/**
 * Every sub-decider takes (command, state, context), like decide itself, and checks the state it
 * needs (requireOpen, requireWorkedCase) itself: this switch only dispatches.
 */
export function decideCase(command: CaseCommand, state: CaseState, context: CaseContext): CaseEvent[] {
  switch (command.type) {
    case 'SubmitCase':
      return submit(command, state, context);
    case 'AssignSeverity':
      return assignSeverity(command, state, context);
    case 'SetPartnerAvailability':
      return setPartnerAvailability(command, state, context);
    case 'AssignEngineer':
      return assignEngineer(command, state, context);
    case 'LogUpdate':
      return logUpdate(command, state, context);
    case 'Escalate':
      return escalate(command, state, context);
    case 'SeverityACall':
      return severityACall(command, state, context);
    case 'TakeQueuedCall':
      return takeQueuedCall(command, state, context);
    case 'ResolveCase':
      return resolve(command, state, context);
    case 'CloseCase':
      return close(command, state, context);
    case 'ReopenCase':
      return reopen(command, state, context);
    case 'RaiseSlaWarning':
      return raiseSlaWarning(command, state, context);
    case 'RecordSlaBreach':
      return recordSlaBreach(command, state, context);
    case 'EscalateOverdue':
      return escalateOverdue(command, state, context);
    case 'AwaitPartner':
      return awaitPartner(command, state, context);
    case 'RecordPartnerReply':
      return recordPartnerReply(command, state, context);
    case 'ResumeClock':
      return resume(command, state, context);
    case 'AutoResumeClock':
      return autoResume(command, state, context);
    case 'RaiseTriageAlert':
      return raiseTriageAlert(command, state, context);
    case 'EscalateToBillingFeedback':
      return escalateToBillingFeedback(command, state, context);
  }
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState, CaseContext> = {
  initialState: () => null,
  decide: decideCase,
  evolve: evolveCase,
  eventTypes: CASE_EVENT_TYPES,
};
