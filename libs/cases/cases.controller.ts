import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiCommandHeaders, ApiProblems, COMMAND_PROBLEMS } from '../platform/openapi/api-problems.decorator';
import {
  AssignmentResultDto,
  CaseStatusResultDto,
  EscalationResultDto,
  PartnerAvailabilityResultDto,
  PauseResultDto,
  SeverityACallResultDto,
  SeverityResultDto,
  SubmitCaseResultDto,
  UpdateResultDto,
} from './dto/case.responses';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../platform/auth/auth.guard';
import { Roles } from '../platform/auth/roles.decorator';
import { commandMetadataFrom, commandResponse } from '../platform/http/command-request';
import { ProblemError } from '../platform/http/problem';
import { IdempotencyInterceptor } from '../platform/idempotency/idempotency.interceptor';
import { CaseAction, CaseOutcome } from './case-commands';
import { CaseCommandService } from './case-command.service';
import {
  AssignEngineerDto,
  AssignSeverityDto,
  AwaitingPartnerDto,
  EmptyDto,
  PartnerReplyDto,
  LogUpdateDto,
  PartnerAvailabilityDto,
  ReasonDto,
  ResolutionDto,
  SeverityACallDto,
} from './dto/case-commands.dto';
import { CaseIdParam } from './dto/case-id.param';
import { SubmitCaseDto } from './dto/submit-case.dto';

const STAFF = ['support', 'manager'] as const;

const SUBMIT_EXAMPLE = {
  partnerId: 'p-contoso',
  product: 'office365',
  requestType: 'repair',
  submitterRole: 'admin',
  topic: 'Exchange Online',
  feature: 'Mail flow',
  symptom: 'Mail cannot be sent or received',
  summary: 'Widespread mail send/receive failures',
  details: 'Since 09:00 nobody in the tenant can send or receive mail.',
  serviceUnavailable: true,
  usersAffected: 250,
  contact: { name: 'Jo Contoso', email: 'jo@contoso.example', timeZone: 'Europe/Paris', country: 'FR' },
  partnerAvailable24x7: true,
  proposedSeverity: 'B',
};

/** Every command answers the case's new revision as its ETag (send it back as If-Match). */
const ETAG = { ETag: { description: 'The new revision of the case, e.g. "4"', schema: { type: 'string' as const } } };

/** The case commands of api.md. Each answers the new revision (and ETag) and the global position. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
@UseInterceptors(IdempotencyInterceptor)
export class CasesController {
  constructor(private readonly commands: CaseCommandService) {}

  @ApiOperation({
    summary: 'Submit a case',
    description:
      'Records the submission; eligibility is judged and recorded (a rejected or routed case is still a 201).',
  })
  @ApiCreatedResponse({
    type: SubmitCaseResultDto,
    description: 'Submitted (or recorded as rejected or routed)',
    headers: ETAG,
  })
  @ApiProblems(...[400, 401, 403, 409, 422, 429, 503])
  @ApiCommandHeaders({ ifMatch: false })
  @ApiBody({
    type: SubmitCaseDto,
    examples: { repair: { summary: 'A partner reports an outage', value: SUBMIT_EXAMPLE } },
  })
  @Post()
  @HttpCode(201)
  @Roles(...STAFF, 'partner')
  async submit(
    @Body() body: SubmitCaseDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const principal = request.principal;
    if (principal.role === 'partner' && body.partnerId !== principal.partnerId) {
      throw ProblemError.of(403, 'a partner key submits cases for its own partnerId only');
    }
    const outcome = await this.commands.submit(
      { ...body, customerId: body.customerId ?? null },
      commandMetadataFrom(request),
    );
    const state = outcome.state!;
    return commandResponse(response, outcome, {
      caseId: state.caseId,
      reference: state.reference,
      status: state.status,
      ...(state.routedTo ? { routedTo: state.routedTo } : {}),
      ...(state.rejectionReason
        ? { rejectionReason: state.rejectionReason, rejectionMessage: state.rejectionMessage }
        : {}),
      ...(state.severity ? { severity: state.severity, lowered: state.severityLowered } : {}),
      ...(state.status === 'open'
        ? { proposedSeverity: state.proposedSeverity, triagedAt: state.triagedAt, triagedBy: state.triagedBy }
        : {}),
    });
  }

  @ApiOperation({
    summary: 'Assign the severity (triage)',
    description: 'Staff decide the severity; A is lowered to B when the partner is not available 24x7.',
  })
  @ApiOkResponse({ type: SeverityResultDto, description: 'The severity in force', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/severity')
  @HttpCode(200)
  @Roles(...STAFF)
  async severity(
    @Param() { id }: CaseIdParam,
    @Body() body: AssignSeverityDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.run(
      id,
      { type: 'AssignSeverity', data: { ...body, by: request.principal.name } },
      request,
    );
    return commandResponse(response, outcome, {
      caseId: id,
      severity: outcome.state!.severity,
      lowered: outcome.events.some((e) => e.type === 'SeverityLowered'),
      triagedAt: outcome.state!.triagedAt ?? null,
      triagedBy: outcome.state!.triagedBy ?? null,
    });
  }

  @ApiOperation({ summary: "Set the partner's 24x7 availability" })
  @ApiOkResponse({
    type: PartnerAvailabilityResultDto,
    description: 'The availability and the severity in force',
    headers: ETAG,
  })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/partner-availability')
  @HttpCode(200)
  @Roles(...STAFF, 'partner')
  async partnerAvailability(
    @Param() { id }: CaseIdParam,
    @Body() body: PartnerAvailabilityDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.run(
      id,
      { type: 'SetPartnerAvailability', data: { ...body, by: request.principal.name } },
      request,
    );
    return commandResponse(response, outcome, {
      caseId: id,
      available24x7: outcome.state!.partnerAvailable24x7,
      severity: outcome.state!.severity,
      lowered: outcome.events.some((e) => e.type === 'SeverityLowered'),
    });
  }

  @ApiOperation({ summary: 'Assign an engineer' })
  @ApiOkResponse({ type: AssignmentResultDto, description: 'Assigned', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/assignment')
  @HttpCode(200)
  @Roles(...STAFF)
  async assignment(
    @Param() { id }: CaseIdParam,
    @Body() body: AssignEngineerDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const { engineerId, force, reason } = body;
    const outcome = await this.run(
      id,
      {
        type: 'AssignEngineer',
        data: { engineerId, force: force ? { reason: reason ?? '' } : null, by: request.principal.name },
      },
      request,
    );
    const assigned = outcome.events.find((e) => e.type === 'EngineerAssigned');
    return commandResponse(response, outcome, {
      caseId: id,
      engineerId: outcome.state!.engineerId,
      managerId: outcome.state!.managerId,
      backupEngineerId: outcome.state!.backupEngineerId ?? null,
      forced: assigned?.type === 'EngineerAssigned' && assigned.data.forced !== undefined,
    });
  }

  @ApiOperation({
    summary: 'Log an update sent to the partner',
    description: 'The first update is the initial response (it meets that clock); each restarts the next-update clock.',
  })
  @ApiCreatedResponse({ type: UpdateResultDto, description: 'Logged', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/updates')
  @HttpCode(201)
  @Roles(...STAFF)
  async update(
    @Param() { id }: CaseIdParam,
    @Body() body: LogUpdateDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.run(id, { type: 'LogUpdate', data: { ...body, by: request.principal.name } }, request);
    const sent = outcome.events.find((e) => e.type === 'UpdateSent');
    return commandResponse(response, outcome, {
      caseId: id,
      initialResponse: sent?.type === 'UpdateSent' ? sent.data.initialResponse : false,
    });
  }

  @ApiOperation({
    summary: 'Escalate the case to the manager',
    description:
      "To the assigned engineer's manager. A customer key only when there is no progress: the response or update owed is overdue and nobody escalated since (409 with the reason otherwise).",
  })
  @ApiCreatedResponse({ type: EscalationResultDto, description: 'Escalated', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/escalations')
  @HttpCode(201)
  @Roles(...STAFF, 'partner', 'customer')
  async escalate(
    @Param() { id }: CaseIdParam,
    @Body() body: ReasonDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    // A customer escalates only when there is no progress: the decider holds it to that.
    const byCustomer = request.principal.role === 'customer';
    const data = { ...body, by: request.principal.name, ...(byCustomer ? { byCustomer } : {}) };
    const outcome = await this.run(id, { type: 'Escalate', data }, request);
    return commandResponse(response, outcome, { caseId: id, managerId: outcome.state!.managerId });
  }

  @ApiOperation({
    summary: 'Record a call (severity A: transferred to an on-shift engineer; B/C: queued to the support team)',
  })
  @ApiCreatedResponse({
    type: SeverityACallResultDto,
    description: 'Severity A: recorded, with the transfer',
    headers: ETAG,
  })
  @ApiAcceptedResponse({
    type: SeverityACallResultDto,
    description: 'Severity B/C (or not assessed): queued to the support team (queued: true, callId)',
    headers: ETAG,
  })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/severity-a-calls')
  @HttpCode(201)
  @Roles(...STAFF, 'partner', 'customer')
  async severityACall(
    @Param() { id }: CaseIdParam,
    @Body() body: SeverityACallDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.run(
      id,
      { type: 'SeverityACall', data: { ...body, by: request.principal.name } },
      request,
    );
    for (const event of outcome.events) {
      if (event.type === 'CallQueued') {
        const { callId } = event.data;
        // Accepted, not done: the call waits in the support team's queue for an engineer.
        response.status(202);
        return commandResponse(response, outcome, {
          caseId: id,
          queued: true,
          callId,
          fromEngineerId: null,
          toEngineerId: null,
          reason: null,
        });
      }
      if (event.type === 'TransferredOnSeverityACall') {
        const { fromEngineerId, toEngineerId, reason } = event.data;
        return commandResponse(response, outcome, {
          caseId: id,
          queued: false,
          callId: null,
          fromEngineerId,
          toEngineerId,
          reason,
        });
      }
    }
    // Nothing recorded (a keyed retry whose first run cannot be found any more): say so, never a 500.
    throw ProblemError.of(409, 'this call was already recorded; see the case timeline or the call queue');
  }

  @ApiOperation({ summary: 'Resolve the case' })
  @ApiOkResponse({ type: CaseStatusResultDto, description: 'Resolved', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/resolution')
  @HttpCode(200)
  @Roles(...STAFF)
  async resolve(
    @Param() { id }: CaseIdParam,
    @Body() body: ResolutionDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.run(id, { type: 'ResolveCase', data: { ...body, by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status });
  }

  @ApiOperation({ summary: 'Close the case' })
  @ApiOkResponse({ type: CaseStatusResultDto, description: 'Closed', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/closure')
  @HttpCode(200)
  @Roles(...STAFF)
  async close(
    @Param() { id }: CaseIdParam,
    @Body() _body: EmptyDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.run(id, { type: 'CloseCase', data: { by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status });
  }

  @ApiOperation({ summary: 'Reopen the case' })
  @ApiOkResponse({ type: CaseStatusResultDto, description: 'Reopened', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/reopening')
  @HttpCode(200)
  @Roles(...STAFF)
  async reopen(
    @Param() { id }: CaseIdParam,
    @Body() body: ReasonDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.run(id, { type: 'ReopenCase', data: { ...body, by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status });
  }

  /** Staff wait on the partner: the summary goes out as an update, the next-update clock starts paused. */
  @ApiOperation({ summary: 'Wait on the partner (pauses the next-update clock)' })
  @ApiOkResponse({ type: PauseResultDto, description: 'Awaiting the partner; the clock paused', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/awaiting-partner')
  @HttpCode(200)
  @Roles(...STAFF)
  async awaitingPartner(
    @Param() { id }: CaseIdParam,
    @Body() body: AwaitingPartnerDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.run(
      id,
      { type: 'AwaitPartner', data: { ...body, by: request.principal.name } },
      request,
    );
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status, ...this.pauseOf(outcome) });
  }

  /** The partner's answer (or staff recording it): a paused clock resumes. */
  @ApiOperation({ summary: "Record the partner's reply (resumes a paused clock)" })
  @ApiCreatedResponse({ type: PauseResultDto, description: 'Recorded; the clock resumed', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/partner-replies')
  @HttpCode(201)
  @Roles(...STAFF, 'partner')
  async partnerReply(
    @Param() { id }: CaseIdParam,
    @Body() body: PartnerReplyDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.run(
      id,
      { type: 'RecordPartnerReply', data: { ...body, by: request.principal.name } },
      request,
    );
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status, ...this.pauseOf(outcome) });
  }

  @ApiOperation({ summary: 'Resume the next-update clock' })
  @ApiOkResponse({ type: PauseResultDto, description: 'Resumed', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/resumption')
  @HttpCode(200)
  @Roles(...STAFF)
  async resumption(
    @Param() { id }: CaseIdParam,
    @Body() _body: EmptyDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.run(id, { type: 'ResumeClock', data: { by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status, ...this.pauseOf(outcome) });
  }

  /** The next-update clock after a pause or resume: its state and (moved) due instant. */
  private pauseOf(outcome: CaseOutcome) {
    const clock = outcome.state?.sla.nextUpdate;
    const resumed = outcome.events.find((e) => e.type === 'SlaClockResumed');
    return {
      nextUpdate: clock
        ? { clockId: clock.clockId, state: clock.state, dueAt: clock.dueAt, pausedAt: clock.pausedAt ?? null }
        : null,
      ...(resumed?.type === 'SlaClockResumed' ? { pausedFor: resumed.data.pausedFor } : {}),
    };
  }

  private run(caseId: string, action: CaseAction, request: AuthenticatedRequest): Promise<CaseOutcome> {
    return this.commands.execute(caseId, action, commandMetadataFrom(request));
  }
}
