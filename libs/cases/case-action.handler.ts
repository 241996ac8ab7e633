import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CaseCommand } from '../domain/case/case.commands';
import { caseDecider } from '../domain/case/case.decider';
import { engineerDecider } from '../domain/engineer/engineer.decider';
import { DeciderCommandRunner } from '../platform/commanding/decider-command-runner';
import { EngineersQuery } from '../engineers/engineers.query';
import { engineerStreamId } from '../engineers/engineer-commands';
import { SlaPolicyService } from '../sla/sla-policy.service';
import { assertCaseVisible, caseStreamId } from './case-access';
import { CaseAction, CaseActionCommand, CaseOutcome } from './case-commands';

/** Every command on an existing case: completes it with outside facts, then runs the decider. */
@CommandHandler(CaseActionCommand)
export class CaseActionHandler implements ICommandHandler<CaseActionCommand> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly sla: SlaPolicyService,
    private readonly engineers: EngineersQuery,
  ) {}

  async execute({ caseId, action, metadata }: CaseActionCommand): Promise<CaseOutcome> {
    const command = await this.complete(action);
    return this.runner.run({
      decider: caseDecider,
      streamId: caseStreamId(caseId),
      metadata,
      command,
      authorize: (state) => assertCaseVisible(metadata.principal, state, caseId),
      // The case's own policy (the one in force for a new case): see SlaPolicyService.calculatorFor.
      context: (state) => this.sla.contextFor(state),
    });
  }

  private async complete(action: CaseAction): Promise<CaseCommand> {
    switch (action.type) {
      case 'AssignEngineer': {
        // The engineer's own stream is the truth (not a projection that may lag).
        const { state } = await this.runner.load(engineerDecider, engineerStreamId(action.data.engineerId));
        const engineer = state && { engineerId: state.engineerId, managerId: state.managerId };
        return { type: 'AssignEngineer', data: { ...action.data, engineer } };
      }
      case 'SeverityACall':
        // Availability and open severity-A workload come from the engineers read model.
        return { type: 'SeverityACall', data: { ...action.data, candidates: await this.engineers.transferCandidates() } };
      default:
        return action;
    }
  }
}
