import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CaseCommand, SubmitCase } from '../domain/case/case.commands';
import { caseDecider } from '../domain/case/case.decider';
import { CaseEvent } from '../domain/case/case.events';
import { partnerDecider } from '../domain/partner/partner.decider';
import { requestedProgrammeContract } from '../domain/case/eligibility';
import { ProgrammeContract } from '../domain/partner/programme-contract';
import { partnerStreamId } from '../events/streams';
import { EventStore } from '../event-store/event-store';
import { Clock } from '../platform/clock/clock';
import { CommandMetadata } from '../platform/commanding/command-metadata';
import { StaleRevisionError } from '../platform/commanding/command-errors';
import { idempotentId } from '../platform/commanding/command-ids';
import { CommandHandler } from '../platform/commanding/handle-command';
import { EVENT_STORE } from '../platform/tokens';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { EngineerFacts } from '../engineers/engineer-facts';
import { DutyManagerService } from '../duty-manager/duty-manager.service';
import { uuidv7 } from '../platform/ids/uuid-v7';
import { SlaPolicyService } from '../sla/sla-policy.service';
import { assertCaseVisible, assertCustomerMayAct, caseStreamId } from './case-access';
import { CaseAction, CaseOutcome, CaseSubmission } from './case-commands';
import { candidateReference, reserveCaseReference } from './case-reference';

/**
 * Every case command, from HTTP and from the SLA timers alike: completes it with the facts the
 * pure decider cannot read (the engineer's record, the transfer candidates, the SLA policy in
 * force, the billing feedback address), then hands it to the one CommandHandler.
 */
@Injectable()
export class CaseCommandService {
  constructor(
    private readonly handler: CommandHandler,
    private readonly sla: SlaPolicyService,
    private readonly engineers: EngineerFacts,
    private readonly dutyManager: DutyManagerService,
    private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A command on an existing case; a case the principal may not see is a NotFoundError. */
  async execute(caseId: string, action: CaseAction, metadata: CommandMetadata): Promise<CaseOutcome> {
    return this.handler.handleCommand({
      decider: caseDecider,
      streamId: caseStreamId(caseId),
      metadata,
      command: await this.complete(action, metadata),
      authorize: (state) => {
        assertCaseVisible(metadata.principal, state, caseId);
        assertCustomerMayAct(metadata.principal, action, state);
      },
      // The case's own policy (the one in force for a new case): see SlaPolicyService.calculatorFor.
      context: (state) => this.sla.contextFor(state),
    });
  }

  /**
   * A new case. Its reference is reserved in a stream of its own before the case is written, so
   * a submission that would be refused is decided first, on the case as it is (purely, with a
   * candidate reference): a refusal writes nothing at all, not even the reservation. An Azure
   * repair that opens a case first binds its programme contract to the partner (see
   * bindContract): a contract other than the bound one is refused the same way.
   */
  async submit(data: CaseSubmission, metadata: CommandMetadata): Promise<CaseOutcome> {
    const started = performance.now();
    // With an Idempotency-Key a retried submission targets the same case (and reference).
    const caseId = idempotentId(metadata, 'case') ?? randomUUID();
    const streamId = caseStreamId(caseId);
    // The partner's binding as of now (its stream, never a projection).
    let partnerContract = await this.boundContract(data);
    const submission = (reference: string): SubmitCase => ({
      type: 'SubmitCase',
      data: { ...data, partnerContract, caseId, reference, submittedBy: metadata.principal.name },
    });
    const now = this.clock.nowIso();
    try {
      const decided = await this.refuseFirst(submission(candidateReference(caseId, now)), streamId, metadata, now);
      if (decided && opens(decided)) partnerContract = await this.bindContract(data, caseId, metadata);
    } catch (error) {
      this.handler.notRun({ type: 'SubmitCase' }, streamId, metadata, error, started);
      throw error;
    }
    const reference = await reserveCaseReference(this.store, caseId, now, metadata.principal.name);
    return this.handler.handleCommand({
      decider: caseDecider,
      streamId,
      metadata,
      command: submission(reference),
      context: (state) => this.sla.contextFor(state),
    });
  }

  /** The programme contract bound to the partner, when the submission names one (an Azure repair). */
  private async boundContract(data: CaseSubmission): Promise<ProgrammeContract | null> {
    if (!requestedProgrammeContract(data)) return null;
    const { state } = await this.handler.load(partnerDecider, partnerStreamId(data.partnerId));
    return state?.contract ?? null;
  }

  /**
   * Binds the submission's contract to the partner before its case is written, on the partner's
   * stream with its expected revision: of two first uses with different contracts, one append
   * wins and the other decides again on the binding and is refused (nothing of it written).
   * Returns the binding now in force, for the case's own decision.
   */
  private async bindContract(
    data: CaseSubmission,
    caseId: string,
    metadata: CommandMetadata,
  ): Promise<ProgrammeContract | null> {
    const contract = requestedProgrammeContract(data);
    if (!contract) return null;
    const { state } = await this.handler.handleCommand({
      decider: partnerDecider,
      streamId: partnerStreamId(data.partnerId),
      // The caller's If-Match is the new case's, not the partner stream's.
      metadata: { ...metadata, expectedRevision: undefined },
      command: {
        type: 'UseProgrammeContract',
        data: { partnerId: data.partnerId, contract, caseId, by: metadata.principal.name },
      },
    });
    return state?.contract ?? null;
  }

  /** The decider's command: the caller's, with the outside facts it needs. */
  private async complete(action: CaseAction, metadata: CommandMetadata): Promise<CaseCommand> {
    switch (action.type) {
      // The engineer's own stream is the truth (not a projection that may lag).
      case 'AssignEngineer':
        return { ...action, data: { ...action.data, engineer: await this.engineers.engineer(action.data.engineerId) } };
      case 'TakeQueuedCall':
        return { ...action, data: { ...action.data, engineer: await this.engineers.engineer(action.data.engineerId) } };
      case 'SeverityACall':
        // Every engineer as of their latest events (see EngineerFacts.transferCandidates). A
        // call on a B/C case is queued under this id (the same one on a keyed retry).
        return {
          type: 'SeverityACall',
          data: {
            ...action.data,
            candidates: await this.engineers.transferCandidates(),
            callId: idempotentId(metadata, 'call') ?? uuidv7(),
          },
        };
      case 'EscalateToBillingFeedback':
        // Configuration, not a fact of the case (null: none; the decider refuses then).
        return {
          type: 'EscalateToBillingFeedback',
          data: { ...action.data, address: this.config.billingFeedbackAddress ?? null },
        };
      case 'EscalateOverdue':
        // Who is on duty now (the duty manager's stream), for a case with nobody else to escalate to.
        return { ...action, data: { ...action.data, dutyManagerId: await this.dutyManager.current() } };
      default:
        return action;
    }
  }

  /**
   * Throws what handleCommand would refuse this submission with (a stale If-Match, a domain
   * refusal), before anything is written; otherwise returns the decision (null: not decided here).
   * A new case id has no stream (no read needed); a retry with an Idempotency-Key whose case
   * exists is left to handleCommand (its reference is already reserved by this very case, so
   * reserving again writes nothing).
   */
  private async refuseFirst(
    command: SubmitCase,
    streamId: string,
    metadata: CommandMetadata,
    now: string,
  ): Promise<CaseEvent[] | null> {
    if (metadata.idempotencyKey) {
      const { revision } = await this.handler.load(caseDecider, streamId);
      if (revision >= 0) return null;
    }
    const expected = metadata.expectedRevision;
    if (expected !== undefined && expected !== -1) {
      throw new StaleRevisionError(
        expected,
        -1,
        `If-Match names revision ${expected}, but the case is at revision -1 (it does not exist yet)`,
      );
    }
    const initial = caseDecider.initialState();
    return caseDecider.decide(command, initial, { ...(await this.sla.contextFor(initial)), now });
  }
}

/** The decision opens the case (neither routed nor rejected). */
const opens = (events: readonly CaseEvent[]): boolean =>
  !events.some((event) => event.type === 'CaseRouted' || event.type === 'CaseRejected');
