import { Injectable } from '@nestjs/common';
import { DutyManagerEvent } from '../domain/duty-manager/duty-manager.events';
import { dutyManagerDecider, DutyManagerState } from '../domain/duty-manager/duty-manager.decider';
import { engineerDecider } from '../domain/engineer/engineer.decider';
import { DUTY_MANAGER_STREAM, engineerStreamId } from '../events/streams';
import { CommandMetadata } from '../platform/commanding/command-metadata';
import { CommandHandler, CommandOutcome } from '../platform/commanding/handle-command';

export type DutyManagerOutcome = CommandOutcome<DutyManagerState, DutyManagerEvent>;

/**
 * Who is on duty for the escalations that have nobody else (an overdue case without an engineer,
 * or whose engineer has no manager). Event-sourced in one stream; read from it, never from a
 * projection, by the SLA timers that escalate (a current fact).
 */
@Injectable()
export class DutyManagerService {
  constructor(private readonly handler: CommandHandler) {}

  async set(managerId: string | null, metadata: CommandMetadata): Promise<DutyManagerOutcome> {
    // The decider cannot read the engineer's stream: look the manager up here and hand it over.
    const manager = managerId ? (await this.handler.load(engineerDecider, engineerStreamId(managerId))).state : null;
    return this.handler.handleCommand({
      decider: dutyManagerDecider,
      streamId: DUTY_MANAGER_STREAM,
      metadata,
      command: {
        type: 'SetDutyManager',
        data: {
          managerId,
          manager: manager && { engineerId: manager.engineerId, managerId: manager.managerId },
          by: metadata.principal.name,
        },
      },
    });
  }

  /** Who is on duty as of the stream's latest event, with its revision (-1: never set). */
  async read(): Promise<{ state: DutyManagerState; revision: number }> {
    const { state, revision } = await this.handler.load(dutyManagerDecider, DUTY_MANAGER_STREAM);
    return { state, revision };
  }

  /** The duty manager's id now; null: nobody on duty. */
  async current(): Promise<string | null> {
    return (await this.read()).state.managerId;
  }
}
