import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { engineerDecider } from '../domain/engineer/engineer.decider';
import { DeciderCommandRunner } from '../platform/commanding/decider-command-runner';
import {
  ChangeEngineerAvailabilityCommand,
  EngineerOutcome,
  RegisterEngineerCommand,
  engineerStreamId,
} from './engineer-commands';

@CommandHandler(RegisterEngineerCommand)
export class RegisterEngineerHandler implements ICommandHandler<RegisterEngineerCommand> {
  constructor(private readonly runner: DeciderCommandRunner) {}

  async execute({ engineerId, data, metadata }: RegisterEngineerCommand): Promise<EngineerOutcome> {
    // The decider cannot read another stream: look the manager up here and hand it over.
    const manager = data.managerId ? (await this.runner.load(engineerDecider, engineerStreamId(data.managerId))).state : null;
    return this.runner.run({
      decider: engineerDecider,
      streamId: engineerStreamId(engineerId),
      metadata,
      command: {
        type: 'RegisterEngineer',
        data: {
          engineerId,
          ...data,
          manager: manager && { engineerId: manager.engineerId, managerId: manager.managerId },
          by: metadata.principal.name,
        },
      },
    });
  }
}

@CommandHandler(ChangeEngineerAvailabilityCommand)
export class ChangeEngineerAvailabilityHandler implements ICommandHandler<ChangeEngineerAvailabilityCommand> {
  constructor(private readonly runner: DeciderCommandRunner) {}

  execute({ engineerId, status, metadata }: ChangeEngineerAvailabilityCommand): Promise<EngineerOutcome> {
    return this.runner.run({
      decider: engineerDecider,
      streamId: engineerStreamId(engineerId),
      metadata,
      command: { type: 'ChangeAvailability', data: { status, by: metadata.principal.name } },
    });
  }
}
