import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { engineerDecider } from '../domain/engineer/engineer.decider';
import { EngineerAvailability } from '../domain/engineer/engineer.types';
import { CommandMetadata } from '../platform/commanding/command-metadata';
import { idempotentId } from '../platform/commanding/command-ids';
import { CommandHandler } from '../platform/commanding/handle-command';
import { EngineerOutcome, EngineerRegistration, engineerStreamId } from './engineer-commands';

/** The engineers' commands: completed with outside facts (the manager's record), then the one CommandHandler. */
@Injectable()
export class EngineerCommandService {
  constructor(private readonly handler: CommandHandler) {}

  async register(
    { engineerId: chosen, ...data }: EngineerRegistration,
    metadata: CommandMetadata,
  ): Promise<EngineerOutcome & { engineerId: string }> {
    // With an Idempotency-Key a retry (even one taking over a crashed run) registers the same engineer.
    const engineerId = chosen ?? idempotentId(metadata, 'engineer') ?? randomUUID();
    // The decider cannot read another stream: look the manager up here and hand it over.
    const manager = data.managerId
      ? (await this.handler.load(engineerDecider, engineerStreamId(data.managerId))).state
      : null;
    const backup = data.backupEngineerId
      ? (await this.handler.load(engineerDecider, engineerStreamId(data.backupEngineerId))).state
      : null;
    const outcome = await this.handler.handleCommand({
      decider: engineerDecider,
      streamId: engineerStreamId(engineerId),
      metadata,
      command: {
        type: 'RegisterEngineer',
        data: {
          engineerId,
          ...data,
          manager: manager && { engineerId: manager.engineerId, managerId: manager.managerId },
          backup: backup && { engineerId: backup.engineerId },
          by: metadata.principal.name,
        },
      },
    });
    return { ...outcome, engineerId };
  }

  /** The backup is looked up in its own stream (the decider checks it exists and is not the engineer). */
  async nameBackup(
    engineerId: string,
    backupEngineerId: string | null,
    metadata: CommandMetadata,
  ): Promise<EngineerOutcome> {
    const backup = backupEngineerId
      ? (await this.handler.load(engineerDecider, engineerStreamId(backupEngineerId))).state
      : null;
    return this.handler.handleCommand({
      decider: engineerDecider,
      streamId: engineerStreamId(engineerId),
      metadata,
      command: {
        type: 'NameBackupEngineer',
        data: { backupEngineerId, backup: backup && { engineerId: backup.engineerId }, by: metadata.principal.name },
      },
    });
  }

  changeAvailability(
    engineerId: string,
    status: EngineerAvailability,
    metadata: CommandMetadata,
  ): Promise<EngineerOutcome> {
    return this.handler.handleCommand({
      decider: engineerDecider,
      streamId: engineerStreamId(engineerId),
      metadata,
      command: { type: 'ChangeAvailability', data: { status, by: metadata.principal.name } },
    });
  }
}
