import { Command } from '@nestjs/cqrs';
import { CommandMetadata } from '../platform/commanding/command-metadata';
import { CommandOutcome } from '../platform/commanding/decider-command-runner';
import { EngineerAvailability } from '../domain/engineer/engineer.types';
import { EngineerEvent } from '../domain/engineer/engineer.events';
import { EngineerState } from '../domain/engineer/engineer.state';

export type EngineerOutcome = CommandOutcome<EngineerState, EngineerEvent>;

export class RegisterEngineerCommand extends Command<EngineerOutcome> {
  constructor(
    readonly engineerId: string,
    readonly data: { name: string; email: string; managerId?: string; timeZone: string },
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class ChangeEngineerAvailabilityCommand extends Command<EngineerOutcome> {
  constructor(
    readonly engineerId: string,
    readonly status: EngineerAvailability,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** Stream names are libs/events/streams.ts's; re-exported for the engineer features that build them. */
export { engineerStreamId } from '../events/streams';
