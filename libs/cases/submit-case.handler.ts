import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { caseDecider } from '../domain/case/case.decider';
import { SubmitCase } from '../domain/case/case.commands';
import { EventStore } from '../event-store/event-store';
import { Clock } from '../platform/clock/clock';
import { DeciderCommandRunner } from '../platform/commanding/decider-command-runner';
import { CommandMetadata } from '../platform/commanding/command-metadata';
import { ProblemError } from '../platform/http/problem';
import { idempotentId } from '../platform/idempotency/idempotent-id';
import { EVENT_STORE } from '../platform/tokens';
import { SlaPolicyService } from '../sla/sla-policy.service';
import { caseStreamId } from './case-access';
import { CaseOutcome, SubmitCaseCommand } from './case-commands';
import { candidateReference, reserveCaseReference } from './case-reference';

/**
 * POST /v1/cases. The reference is reserved in a stream of its own before the case is written,
 * so a submission that would be refused is decided first, on the case as it is (purely, with a
 * candidate reference): a refusal writes nothing at all, not even the reservation.
 */
@CommandHandler(SubmitCaseCommand)
export class SubmitCaseHandler implements ICommandHandler<SubmitCaseCommand> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly sla: SlaPolicyService,
    private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ data, metadata }: SubmitCaseCommand): Promise<CaseOutcome> {
    const started = performance.now();
    // With an Idempotency-Key a retried submission targets the same case (and reference).
    const caseId = idempotentId(metadata, 'case') ?? randomUUID();
    const streamId = caseStreamId(caseId);
    const submission = (reference: string): SubmitCase => ({
      type: 'SubmitCase',
      data: { ...data, caseId, reference, submittedBy: metadata.principal.name },
    });
    const now = this.clock.nowIso();
    try {
      // Before the reference is reserved: a refused submission writes nothing.
      await this.refuseFirst(submission(candidateReference(caseId, now)), streamId, metadata, now);
    } catch (error) {
      this.runner.notRun('SubmitCase', streamId, metadata, error, started);
      throw error;
    }
    const reference = await reserveCaseReference(this.store, caseId, now, metadata.principal.name);
    return this.runner.run({
      decider: caseDecider,
      streamId,
      metadata,
      command: submission(reference),
      // The case's own policy (the one in force for a new case): see SlaPolicyService.calculatorFor.
      context: (state) => this.sla.contextFor(state),
    });
  }

  /**
   * Throws what the runner would refuse this submission with (a stale If-Match: 412, a domain
   * refusal), before anything is written. A new case id has no stream (no read needed); a retry
   * with an Idempotency-Key whose case exists is left to the runner as before (its reference is
   * already reserved by this very case, so reserving again writes nothing).
   */
  private async refuseFirst(command: SubmitCase, streamId: string, metadata: CommandMetadata, now: string): Promise<void> {
    if (metadata.idempotencyKey) {
      const { revision } = await this.runner.load(caseDecider, streamId);
      if (revision >= 0) return;
    }
    if (metadata.expectedRevision !== undefined && metadata.expectedRevision !== -1) {
      throw ProblemError.of(412, `If-Match names revision ${metadata.expectedRevision}, but the case is at revision -1 (it does not exist yet)`, {
        currentRevision: -1,
      });
    }
    const initial = caseDecider.initialState();
    caseDecider.decide(command, initial, { ...(await this.sla.contextFor(initial)), now });
  }
}
