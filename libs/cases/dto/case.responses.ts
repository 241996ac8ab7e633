import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AWAITING_PARTNER_REASONS } from '../../domain/case/case.events';
import { PRODUCTS, REQUEST_TYPES, SEVERITIES, SUBMITTER_ROLES } from '../../domain/case/case.types';
import { AttachmentDto, ContactDto } from './submit-case.dto';

/** The response bodies of the case routes, for the OpenAPI document (case.view.ts, case-list.query.ts, cases.controller.ts). */

const STATUSES = ['open', 'awaiting-partner', 'routed', 'rejected', 'resolved', 'closed'];
const CLOCK_STATES = ['running', 'met', 'warning', 'breached', 'stopped', 'paused'];
const CLOCKS = ['initialResponse', 'nextUpdate'];
const INSTANT = { type: String, format: 'date-time', example: '2026-11-23T10:00:00.000Z' } as const;
const text = (nullable = false) => ApiProperty({ type: String, nullable });
const instant = (nullable = false) => ApiProperty({ ...INSTANT, nullable });
const severity = (nullable = false) => ApiProperty({ enum: SEVERITIES, enumName: 'Severity', nullable });
const revision = () =>
  ApiProperty({
    type: Number,
    example: 3,
    description: 'The revision of the case after the command (also the ETag; send it as If-Match)',
  });
const position = () =>
  ApiProperty({
    type: String,
    nullable: true,
    example: '1042',
    description: 'The global position of the last event written: `consistentWith` for list reads',
  });

/** An SLA clock as the case shows it, evaluated at the instant of the read. */
export class ClockViewDto {
  @text() clockId!: string;
  @ApiProperty({ enum: CLOCKS }) clock!: string;
  @ApiProperty({
    enum: CLOCK_STATES,
    description: 'What was true at the instant read (a running clock past dueAt reads breached)',
  })
  state!: string;
  @ApiProperty({ enum: CLOCK_STATES, description: 'What the system had recorded by then' }) recordedState!: string;
  @text() severity!: string;
  @instant() startedAt!: string;
  @instant() dueAt!: string;
  @instant() warnAt!: string;
  @instant() escalateAt!: string;
  @text() policyVersion!: string;
  @ApiProperty({ type: String, example: 'business' }) calendar!: string;
  @ApiPropertyOptional(INSTANT) metAt?: string;
  @ApiPropertyOptional(INSTANT) warnedAt?: string;
  @ApiPropertyOptional(INSTANT) breachedAt?: string;
  @ApiPropertyOptional(INSTANT) escalatedAt?: string;
  @ApiPropertyOptional(INSTANT) stoppedAt?: string;
  @ApiPropertyOptional(INSTANT) pausedAt?: string;
  @ApiPropertyOptional({ type: String }) pauseReason?: string;
  @ApiPropertyOptional(INSTANT) autoResumeAt?: string;
  @ApiPropertyOptional({
    type: String,
    example: 'PT2H',
    description: 'Total time it stood still, in its own calendar (ISO-8601 duration)',
  })
  pausedFor?: string;
}

export class CaseSlaDto {
  @text(true) policyVersion!: string | null;
  @ApiProperty({ type: ClockViewDto, nullable: true }) initialResponse!: ClockViewDto | null;
  @ApiProperty({ type: ClockViewDto, nullable: true }) nextUpdate!: ClockViewDto | null;
}

export class SlaBreachDto {
  @text() clockId!: string;
  @ApiProperty({ enum: CLOCKS }) clock!: string;
  @severity() severity!: string;
  @instant() dueAt!: string;
  @instant() recordedAt!: string;
}

export class AwaitingPartnerViewDto {
  @ApiProperty({ enum: AWAITING_PARTNER_REASONS }) reason!: string;
  @instant() since!: string;
  @instant() autoResumeAt!: string;
}

export class BillingFeedbackViewDto {
  @ApiProperty({ type: String, format: 'email' }) address!: string;
  @text() reason!: string;
  @text() by!: string;
  @instant() at!: string;
}

export class AzureViewDto {
  @text(true) subscriptionId!: string | null;
  @text(true) accessId!: string | null;
  @text(true) contractId!: string | null;
}

export class CrmOnlineViewDto {
  @text(true) office365SignIn!: string | null;
  @text(true) subscriptionId!: string | null;
}

/** GET /v1/cases/{id}: the case, folded from its stream (always current). */
export class CaseViewDto {
  @ApiProperty({ type: String, example: '0193a0c2-7d1e-7b3a-9c4d-5e6f7a8b9c0d' }) caseId!: string;
  @ApiProperty({ type: String, example: 'CT-2026-000123' }) reference!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @severity(true) severity!: string | null;
  @severity(true) proposedSeverity!: string | null;
  @ApiProperty({ type: Boolean }) triaged!: boolean;
  @instant(true) triagedAt!: string | null;
  @text(true) triagedBy!: string | null;
  @instant(true) triageDueAt!: string | null;
  @ApiProperty({ type: Boolean }) severityLowered!: boolean;
  @text() partnerId!: string;
  @text(true) customerId!: string | null;
  @ApiProperty({ enum: PRODUCTS }) product!: string;
  @ApiProperty({ enum: REQUEST_TYPES }) requestType!: string;
  @ApiProperty({ enum: SUBMITTER_ROLES }) submitterRole!: string;
  @ApiProperty({
    type: AzureViewDto,
    nullable: true,
    description: 'An Azure case: its subscription, access and contract IDs as submitted',
  })
  azure!: AzureViewDto | null;
  @ApiProperty({
    type: Boolean,
    description: 'On behalf of a customer: the submitter stated being its partner of record',
  })
  partnerOfRecord!: boolean;
  @ApiProperty({ type: CrmOnlineViewDto, nullable: true, description: "CRM Online's conditions as submitted" })
  crmOnline!: CrmOnlineViewDto | null;
  @text() topic!: string;
  @text() feature!: string;
  @text() symptom!: string;
  @text() summary!: string;
  @text() details!: string;
  @ApiProperty({ type: Boolean }) serviceUnavailable!: boolean;
  @ApiProperty({ type: Number }) usersAffected!: number;
  @ApiProperty({ type: ContactDto }) contact!: ContactDto;
  @ApiProperty({ type: [AttachmentDto] }) attachments!: AttachmentDto[];
  @ApiProperty({ type: Boolean }) partnerAvailable24x7!: boolean;
  @text(true) engineerId!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "The engineer's backup, as recorded when the engineer was assigned (the escalation path's second stop)",
  })
  backupEngineerId!: string | null;
  @text(true) managerId!: string | null;
  @text(true) routedTo!: string | null;
  @text(true) routingReason!: string | null;
  @text(true) rejectionReason!: string | null;
  @text(true) rejectionMessage!: string | null;
  @instant() submittedAt!: string;
  @instant() updatedAt!: string;
  @instant(true) resolvedAt!: string | null;
  @text(true) resolutionSummary!: string | null;
  @instant(true) closedAt!: string | null;
  @instant(true) reopenedAt!: string | null;
  @instant(true) initialResponseAt!: string | null;
  @instant(true) lastUpdateAt!: string | null;
  @ApiProperty({ type: Number }) updateCount!: number;
  @ApiProperty({ type: Number }) escalationCount!: number;
  @ApiProperty({ type: AwaitingPartnerViewDto, nullable: true }) awaitingPartner!: AwaitingPartnerViewDto | null;
  @instant(true) lastPartnerReplyAt!: string | null;
  @ApiProperty({ type: [SlaBreachDto], description: 'Every breach recorded on the case' }) slaBreaches!: SlaBreachDto[];
  @ApiProperty({
    type: BillingFeedbackViewDto,
    nullable: true,
    description: 'A routed billing case escalated to the billing feedback address; null until then',
  })
  billingFeedback!: BillingFeedbackViewDto | null;
  @ApiProperty({ type: CaseSlaDto }) sla!: CaseSlaDto;
  @ApiProperty({ type: Number, example: 3, description: 'The revision of the case (also the ETag)' }) revision!: number;
}

/** GET /v1/cases/{id}/state?asOf=: the case as it stood at an instant. */
export class CaseAsOfDto extends CaseViewDto {
  @instant() asOf!: string;
}

/** One event of a case's stream (GET /v1/cases/{id}/history). */
export class CaseHistoryEntryDto {
  @ApiProperty({ type: Number }) revision!: number;
  @ApiProperty({ type: String, example: '1042' }) position!: string;
  @text() eventId!: string;
  @ApiProperty({ type: String, example: 'CaseSubmitted' }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'occurredAt, principal, correlation and causation ids',
  })
  metadata!: Record<string, unknown>;
}

/** A case in the list (the cases projection). */
export class CaseSummaryDto {
  @text() caseId!: string;
  @text() reference!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @severity(true) severity!: string | null;
  @severity(true) proposedSeverity!: string | null;
  @ApiProperty({ type: Boolean }) triaged!: boolean;
  @instant(true) triagedAt!: string | null;
  @text(true) triagedBy!: string | null;
  @text() partnerId!: string;
  @text(true) customerId!: string | null;
  @ApiProperty({ enum: PRODUCTS }) product!: string;
  @text(true) engineerId!: string | null;
  @text(true) managerId!: string | null;
  @text() summary!: string;
  @ApiProperty({ enum: ['ok', 'at-risk', 'breached'] }) sla!: string;
  @instant(true) nextDueAt!: string | null;
  @instant() submittedAt!: string;
  @instant() updatedAt!: string;
  @ApiProperty({ type: Number }) revision!: number;
}

export class CaseListPageDto {
  @ApiProperty({ type: [CaseSummaryDto] }) items!: CaseSummaryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor!: string | null;
}

/** What every command on a case answers with: the case, and the stream's revision and position after it. */
export class CaseCommandResultDto {
  @text() caseId!: string;
  @revision() revision!: number;
  @position() position!: string | null;
}

/** POST /v1/cases. */
export class SubmitCaseResultDto extends CaseCommandResultDto {
  @text() reference!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiPropertyOptional({ type: String, description: 'Set when the case was routed to another team' }) routedTo?: string;
  @ApiPropertyOptional({ type: String }) rejectionReason?: string;
  @ApiPropertyOptional({ type: String }) rejectionMessage?: string;
  @ApiPropertyOptional({ enum: SEVERITIES, enumName: 'Severity' }) severity?: string;
  @ApiPropertyOptional({ type: Boolean }) lowered?: boolean;
  @ApiPropertyOptional({ enum: SEVERITIES, enumName: 'Severity', nullable: true }) proposedSeverity?: string | null;
  @ApiPropertyOptional({ ...INSTANT, nullable: true }) triagedAt?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) triagedBy?: string | null;
}

export class SeverityResultDto extends CaseCommandResultDto {
  @severity(true) severity!: string | null;
  @ApiProperty({ type: Boolean, description: 'A lowered to B (the partner is not available 24x7)' }) lowered!: boolean;
  @instant(true) triagedAt!: string | null;
  @text(true) triagedBy!: string | null;
}

export class PartnerAvailabilityResultDto extends CaseCommandResultDto {
  @ApiProperty({ type: Boolean }) available24x7!: boolean;
  @severity(true) severity!: string | null;
  @ApiProperty({ type: Boolean }) lowered!: boolean;
}

export class AssignmentResultDto extends CaseCommandResultDto {
  @text(true) engineerId!: string | null;
  @text(true) managerId!: string | null;
  @text(true) backupEngineerId!: string | null;
  @ApiProperty({ type: Boolean, description: 'An engineer not on shift was given a severity-A case (force)' })
  forced!: boolean;
}

export class UpdateResultDto extends CaseCommandResultDto {
  @ApiProperty({ type: Boolean, description: 'This update was the initial response (it met that clock)' })
  initialResponse!: boolean;
}

export class EscalationResultDto extends CaseCommandResultDto {
  @text(true) managerId!: string | null;
}

export class BillingFeedbackResultDto extends CaseCommandResultDto {
  @ApiProperty({ type: String, format: 'email', description: 'The billing feedback address the case went to' })
  address!: string;
  @instant() at!: string;
}

export class SeverityACallResultDto extends CaseCommandResultDto {
  @ApiProperty({ type: Boolean, description: 'true: a B/C call, queued to the support team (no transfer)' })
  queued!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The queued call (GET /v1/call-queue); null on a transfer',
  })
  callId!: string | null;
  @text(true) fromEngineerId!: string | null;
  @text(true) toEngineerId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why this engineer (backup, next available)' })
  reason!: string | null;
}

export class CaseStatusResultDto extends CaseCommandResultDto {
  @ApiProperty({ enum: STATUSES }) status!: string;
}

export class NextUpdateClockDto {
  @text() clockId!: string;
  @ApiProperty({ enum: CLOCK_STATES }) state!: string;
  @instant() dueAt!: string;
  @instant(true) pausedAt!: string | null;
}

/** Awaiting-partner, partner replies and resumption: the next-update clock after the pause or resume. */
export class PauseResultDto extends CaseCommandResultDto {
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ type: NextUpdateClockDto, nullable: true }) nextUpdate!: NextUpdateClockDto | null;
  @ApiPropertyOptional({
    type: String,
    example: 'PT2H',
    description: 'How long the clock stood still (when it resumed)',
  })
  pausedFor?: string;
}
