import { Injectable } from '@nestjs/common';
import { EngineerRef } from '../domain/case/case.commands';
import { TransferCandidate } from '../domain/case/next-engineer';
import { engineerDecider } from '../domain/engineer/engineer.decider';
import { CommandHandler } from '../platform/commanding/handle-command';
import { ReadConsistency } from '../projections/read-consistency';
import { engineerStreamId } from './engineer-commands';
import { EngineersQuery } from './engineers.query';

/**
 * Engineers as of their latest events, for commands that decide on them (assignment, the
 * severity-A call, taking a queued call): never the engineers read model alone, which lags.
 */
@Injectable()
export class EngineerFacts {
  constructor(
    private readonly handler: CommandHandler,
    private readonly engineers: EngineersQuery,
    private readonly consistency: ReadConsistency,
  ) {}

  /** The engineer's own stream (null: no such engineer). */
  async engineer(engineerId: string): Promise<EngineerRef | null> {
    const { state } = await this.handler.load(engineerDecider, engineerStreamId(engineerId));
    return (
      state && {
        engineerId: state.engineerId,
        managerId: state.managerId,
        availability: state.availability,
        backupEngineerId: state.backupEngineerId,
      }
    );
  }

  /**
   * Everyone a severity-A call could go to. The roster and open severity-A workload come from the
   * engineers read model once it has every event stored before the call (a 503 if it cannot catch
   * up in time); availability, manager and backup from each engineer's own stream, so a change
   * made just before the call is always seen, whatever the store.
   */
  async transferCandidates(): Promise<TransferCandidate[]> {
    await this.consistency.waitForHead(['engineers']);
    const roster = await this.engineers.transferCandidates();
    const current = await Promise.all(roster.map((c) => this.engineer(c.engineerId)));
    return roster.flatMap((candidate, i) => {
      const facts = current[i];
      return facts
        ? [
            {
              ...candidate,
              managerId: facts.managerId ?? null,
              availability: facts.availability ?? candidate.availability,
              backupEngineerId: facts.backupEngineerId ?? null,
            },
          ]
        : [];
    });
  }
}
