import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { caseDecider } from '../domain/case/case.decider';
import { EventStore } from '../event-store/event-store';
import { Clock } from '../platform/clock/clock';
import { DeciderCommandRunner } from '../platform/commanding/decider-command-runner';
import { idempotentId } from '../platform/idempotency/idempotent-id';
import { EVENT_STORE } from '../platform/tokens';
import { SlaPolicyService } from '../sla/sla-policy.service';
import { requireHolidayCountry } from '../domain/case/sla-location';
import { caseStreamId } from './case-access';
import { CaseOutcome, SubmitCaseCommand } from './case-commands';
import { reserveCaseReference } from './case-reference';

@CommandHandler(SubmitCaseCommand)
export class SubmitCaseHandler implements ICommandHandler<SubmitCaseCommand> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly sla: SlaPolicyService,
    private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ data, metadata }: SubmitCaseCommand): Promise<CaseOutcome> {
    // Before the reference is reserved: a refused submission writes nothing (the decider checks it too).
    requireHolidayCountry(data.contact, this.sla.calculator);
    // With an Idempotency-Key a retried submission targets the same case (and reference).
    const caseId = idempotentId(metadata, 'case') ?? randomUUID();
    const reference = await reserveCaseReference(this.store, caseId, this.clock.nowIso(), metadata.principal.name);
    return this.runner.run({
      decider: caseDecider,
      streamId: caseStreamId(caseId),
      metadata,
      command: { type: 'SubmitCase', data: { ...data, caseId, reference, submittedBy: metadata.principal.name } },
      // The case's own policy (the one in force for a new case): see SlaPolicyService.calculatorFor.
      context: (state) => this.sla.contextFor(state),
    });
  }
}
