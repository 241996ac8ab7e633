import { Injectable } from '@nestjs/common';
import { CaseCommandService } from '../cases/case-command.service';
import { CaseOutcome } from '../cases/case-commands';
import { NotFoundError } from '../domain/shared/domain-errors';
import { CommandMetadata } from '../platform/commanding/command-metadata';
import { ReadConsistency } from '../projections/read-consistency';
import { CallQueueQuery } from './call-queue.query';

/**
 * Taking a queued call: the call's case is found in the queue's read model (waiting for it to
 * reach the store's head when the call is not there yet, so a call queued a moment ago is found),
 * then the case decider decides on the case's own stream: a call is taken once.
 */
@Injectable()
export class CallQueueService {
  constructor(
    private readonly queue: CallQueueQuery,
    private readonly consistency: ReadConsistency,
    private readonly cases: CaseCommandService,
  ) {}

  async take(callId: string, engineerId: string, metadata: CommandMetadata): Promise<CaseOutcome & { caseId: string }> {
    let caseId = await this.queue.caseOf(callId);
    if (caseId === null) {
      await this.consistency.waitForHead(['call-queue']);
      caseId = await this.queue.caseOf(callId);
    }
    if (caseId === null) throw new NotFoundError(`call ${callId} not found`, { callId });
    const outcome = await this.cases.execute(
      caseId,
      { type: 'TakeQueuedCall', data: { callId, engineerId, by: metadata.principal.name } },
      metadata,
    );
    return { ...outcome, caseId };
  }
}
