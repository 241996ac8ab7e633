import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Checkpoint, EventStore } from '../event-store/event-store';
import { ProblemError } from '../platform/http/problem';
import { EVENT_STORE } from '../platform/tokens';
import { ProjectionRunner } from './projection-runner';
import { isPosition } from '../platform/validation/is-position';

/** How long a `consistentWith` read waits for the projections before answering 503. */
const MAX_WAIT_MS = 5000;

/**
 * Read-your-writes for projection-backed reads: `?consistentWith=<position>` (the `position` a
 * command returned) waits until every projection the read uses has processed that event.
 */
@Injectable()
export class ReadConsistency {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  /**
   * For decisions on other streams' facts read from projections: waits until these projections
   * have every event stored when it is called (the store's head), so nothing written before the
   * command is missed. 503 past the deadline. A store that cannot tell its head (EventStoreDB)
   * skips the wait: its callers read the streams for the facts that matter.
   */
  async waitForHead(projections: string[]): Promise<void> {
    const head = (await this.store.headCheckpoint?.()) ?? null;
    if (head === null) return;
    await this.waitForCheckpoint(head, projections, () =>
      ProblemError.of(503, `the read models have not caught up with the store within ${MAX_WAIT_MS / 1000} s; retry`),
    );
  }

  async waitFor(request: FastifyRequest, projections: string[]): Promise<void> {
    const raw = (request.query as Record<string, unknown>).consistentWith;
    if (raw === undefined) return;
    if (!isPosition(raw)) {
      throw ProblemError.of(400, 'consistentWith must be a position returned by a command', {
        errors: [{ field: 'consistentWith', message: 'must be a decimal position' }],
      });
    }
    const checkpoint = await this.store.checkpointOfPosition(raw);
    if (!checkpoint) {
      throw ProblemError.of(400, `no event is stored at position ${raw}`, {
        errors: [{ field: 'consistentWith', message: 'names no stored event' }],
      });
    }
    await this.waitForCheckpoint(checkpoint, projections, () =>
      ProblemError.of(503, `the read models have not reached position ${raw} within ${MAX_WAIT_MS / 1000} s; retry`),
    );
  }

  private async waitForCheckpoint(checkpoint: Checkpoint, projections: string[], late: () => Error): Promise<void> {
    const deadline = Date.now() + MAX_WAIT_MS;
    // Woken when a projection commits a batch (any process); the poll is the fallback.
    const progress = this.runner.watchProgress();
    try {
      while (!(await this.runner.hasReached(checkpoint, projections))) {
        if (Date.now() > deadline) throw late();
        await progress.next(15, 250);
      }
    } finally {
      progress.close();
    }
  }
}
