import { Command } from '@nestjs/cqrs';
import { CaseCommand, SubmitCase } from '../domain/case/case.commands';
import { CaseEvent } from '../domain/case/case.events';
import { CaseState } from '../domain/case/case.state';
import { CommandMetadata } from '../platform/commanding/command-metadata';
import { CommandOutcome } from '../platform/commanding/decider-command-runner';

export type CaseOutcome = CommandOutcome<CaseState, CaseEvent>;

/** POST /v1/cases: the submission, without the ids the handler chooses. */
export class SubmitCaseCommand extends Command<CaseOutcome> {
  constructor(
    readonly data: Omit<SubmitCase['data'], 'caseId' | 'reference' | 'submittedBy'>,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/**
 * A command on an existing case, as the HTTP layer knows it. Outside facts the decider needs
 * (the engineer's record, the transfer candidates) are filled in by the handler.
 */
export type CaseAction =
  | Exclude<CaseCommand, { type: 'SubmitCase' | 'AssignEngineer' | 'SeverityACall' }>
  | { type: 'AssignEngineer'; data: { engineerId: string; by: string } }
  | { type: 'SeverityACall'; data: { caller: string; by: string } };

export class CaseActionCommand extends Command<CaseOutcome> {
  constructor(
    readonly caseId: string,
    readonly action: CaseAction,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}
