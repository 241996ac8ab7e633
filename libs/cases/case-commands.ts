import { CaseCommand, SubmitCase } from '../domain/case/case.commands';
import { CaseEvent } from '../domain/case/case.events';
import { CaseState } from '../domain/case/case.state';
import { CommandOutcome } from '../platform/commanding/handle-command';

export type CaseOutcome = CommandOutcome<CaseState, CaseEvent>;

/** POST /v1/cases: the submission, without what the service chooses (the ids) or knows (the submitter). */
export type CaseSubmission = Omit<SubmitCase['data'], 'caseId' | 'reference' | 'submittedBy' | 'partnerContract'>;

/**
 * A command on an existing case as its callers (HTTP, the SLA timers) know it. The outside facts
 * the decider needs (the engineer's record, the transfer candidates, the call's id, the duty
 * manager, the billing feedback address) are filled in by CaseCommandService.
 */
export type CaseAction =
  | Exclude<
      CaseCommand,
      { type: 'SubmitCase' | 'AssignEngineer' | 'SeverityACall' | 'TakeQueuedCall' | 'EscalateToBillingFeedback' }
    >
  | { type: 'AssignEngineer'; data: { engineerId: string; force?: { reason: string } | null; by: string } }
  | { type: 'SeverityACall'; data: { caller: string; by: string } }
  | { type: 'TakeQueuedCall'; data: { callId: string; engineerId: string; by: string } }
  | { type: 'EscalateToBillingFeedback'; data: { reason: string; by: string } };
