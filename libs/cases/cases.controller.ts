import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../platform/auth/auth.guard';
import { Roles } from '../platform/auth/roles.decorator';
import { commandMetadataFrom, commandResponse } from '../platform/commanding/request-metadata';
import { ProblemError } from '../platform/http/problem';
import { IdempotencyInterceptor } from '../platform/idempotency/idempotency.interceptor';
import { CaseAction, CaseActionCommand, CaseOutcome, SubmitCaseCommand } from './case-commands';
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

/** The case commands of api.md. Each answers the new revision (and ETag) and the global position. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
@UseInterceptors(IdempotencyInterceptor)
export class CasesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles(...STAFF, 'partner')
  async submit(@Body() body: SubmitCaseDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const principal = request.principal;
    if (principal.role === 'partner' && body.partnerId !== principal.partnerId) {
      throw ProblemError.of(403, 'a partner key submits cases for its own partnerId only');
    }
    const outcome = await this.commands.execute(
      new SubmitCaseCommand({ ...body, customerId: body.customerId ?? null }, commandMetadataFrom(request)),
    );
    const state = outcome.state!;
    return commandResponse(response, outcome, {
      caseId: state.caseId,
      reference: state.reference,
      status: state.status,
      ...(state.routedTo ? { routedTo: state.routedTo } : {}),
      ...(state.rejectionReason ? { rejectionReason: state.rejectionReason, rejectionMessage: state.rejectionMessage } : {}),
      ...(state.severity ? { severity: state.severity, lowered: state.severityLowered } : {}),
      ...(state.status === 'open' ? { proposedSeverity: state.proposedSeverity, triagedAt: state.triagedAt, triagedBy: state.triagedBy } : {}),
    });
  }

  @Post(':id/severity')
  @HttpCode(200)
  @Roles(...STAFF)
  async severity(@Param() { id }: CaseIdParam, @Body() body: AssignSeverityDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'AssignSeverity', data: { ...body, by: request.principal.name } }, request);
    return commandResponse(response, outcome, {
      caseId: id,
      severity: outcome.state!.severity,
      lowered: outcome.events.some((e) => e.type === 'SeverityLowered'),
      triagedAt: outcome.state!.triagedAt ?? null,
      triagedBy: outcome.state!.triagedBy ?? null,
    });
  }

  @Post(':id/partner-availability')
  @HttpCode(200)
  @Roles(...STAFF, 'partner')
  async partnerAvailability(@Param() { id }: CaseIdParam, @Body() body: PartnerAvailabilityDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'SetPartnerAvailability', data: { ...body, by: request.principal.name } }, request);
    return commandResponse(response, outcome, {
      caseId: id,
      available24x7: outcome.state!.partnerAvailable24x7,
      severity: outcome.state!.severity,
      lowered: outcome.events.some((e) => e.type === 'SeverityLowered'),
    });
  }

  @Post(':id/assignment')
  @HttpCode(200)
  @Roles(...STAFF)
  async assignment(@Param() { id }: CaseIdParam, @Body() body: AssignEngineerDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'AssignEngineer', data: { ...body, by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, engineerId: outcome.state!.engineerId, managerId: outcome.state!.managerId });
  }

  @Post(':id/updates')
  @HttpCode(201)
  @Roles(...STAFF)
  async update(@Param() { id }: CaseIdParam, @Body() body: LogUpdateDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'LogUpdate', data: { ...body, by: request.principal.name } }, request);
    const sent = outcome.events.find((e) => e.type === 'UpdateSent');
    return commandResponse(response, outcome, {
      caseId: id,
      initialResponse: sent?.type === 'UpdateSent' ? sent.data.initialResponse : false,
    });
  }

  @Post(':id/escalations')
  @HttpCode(201)
  @Roles(...STAFF, 'partner')
  async escalate(@Param() { id }: CaseIdParam, @Body() body: ReasonDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'Escalate', data: { ...body, by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, managerId: outcome.state!.managerId });
  }

  @Post(':id/severity-a-calls')
  @HttpCode(201)
  @Roles(...STAFF, 'partner')
  async severityACall(@Param() { id }: CaseIdParam, @Body() body: SeverityACallDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'SeverityACall', data: { ...body, by: request.principal.name } }, request);
    const transfer = outcome.events.find((e) => e.type === 'TransferredOnSeverityACall');
    if (transfer?.type !== 'TransferredOnSeverityACall') throw new Error('a severity-A call must record a transfer');
    return commandResponse(response, outcome, {
      caseId: id,
      fromEngineerId: transfer.data.fromEngineerId,
      toEngineerId: transfer.data.toEngineerId,
    });
  }

  @Post(':id/resolution')
  @HttpCode(200)
  @Roles(...STAFF)
  async resolve(@Param() { id }: CaseIdParam, @Body() body: ResolutionDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'ResolveCase', data: { ...body, by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status });
  }

  @Post(':id/closure')
  @HttpCode(200)
  @Roles(...STAFF)
  async close(@Param() { id }: CaseIdParam, @Body() _body: EmptyDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'CloseCase', data: { by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status });
  }

  @Post(':id/reopening')
  @HttpCode(200)
  @Roles(...STAFF)
  async reopen(@Param() { id }: CaseIdParam, @Body() body: ReasonDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'ReopenCase', data: { ...body, by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status });
  }

  /** Staff wait on the partner: the summary goes out as an update, the next-update clock starts paused. */
  @Post(':id/awaiting-partner')
  @HttpCode(200)
  @Roles(...STAFF)
  async awaitingPartner(@Param() { id }: CaseIdParam, @Body() body: AwaitingPartnerDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'AwaitPartner', data: { ...body, by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status, ...this.pauseOf(outcome) });
  }

  /** The partner's answer (or staff recording it): a paused clock resumes. */
  @Post(':id/partner-replies')
  @HttpCode(201)
  @Roles(...STAFF, 'partner')
  async partnerReply(@Param() { id }: CaseIdParam, @Body() body: PartnerReplyDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'RecordPartnerReply', data: { ...body, by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status, ...this.pauseOf(outcome) });
  }

  @Post(':id/resumption')
  @HttpCode(200)
  @Roles(...STAFF)
  async resumption(@Param() { id }: CaseIdParam, @Body() _body: EmptyDto, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const outcome = await this.run(id, { type: 'ResumeClock', data: { by: request.principal.name } }, request);
    return commandResponse(response, outcome, { caseId: id, status: outcome.state!.status, ...this.pauseOf(outcome) });
  }

  /** The next-update clock after a pause or resume: its state and (moved) due instant. */
  private pauseOf(outcome: CaseOutcome) {
    const clock = outcome.state?.sla.nextUpdate;
    const resumed = outcome.events.find((e) => e.type === 'SlaClockResumed');
    return {
      nextUpdate: clock ? { clockId: clock.clockId, state: clock.state, dueAt: clock.dueAt, pausedAt: clock.pausedAt ?? null } : null,
      ...(resumed?.type === 'SlaClockResumed' ? { pausedFor: resumed.data.pausedFor } : {}),
    };
  }

  private run(caseId: string, action: CaseAction, request: AuthenticatedRequest): Promise<CaseOutcome> {
    return this.commands.execute(new CaseActionCommand(caseId, action, commandMetadataFrom(request)));
  }
}
