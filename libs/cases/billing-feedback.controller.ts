import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiCommandHeaders, ApiProblems, COMMAND_PROBLEMS } from '../platform/openapi/api-problems.decorator';
import type { AuthenticatedRequest } from '../platform/auth/auth.guard';
import { Roles } from '../platform/auth/roles.decorator';
import { commandMetadataFrom, commandResponse } from '../platform/http/command-request';
import { IdempotencyInterceptor } from '../platform/idempotency/idempotency.interceptor';
import { CaseCommandService } from './case-command.service';
import { ReasonDto } from './dto/case-commands.dto';
import { CaseIdParam } from './dto/case-id.param';
import { BillingFeedbackResultDto } from './dto/case.responses';

/**
 * The billing path after the billing team: a routed billing case escalated to the feedback
 * address (BILLING_FEEDBACK_ADDRESS). Its own controller: the case commands of cases.controller.ts
 * are for cases worked here, this one only for cases routed away.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
@UseInterceptors(IdempotencyInterceptor)
export class BillingFeedbackController {
  constructor(private readonly commands: CaseCommandService) {}

  @ApiOperation({
    summary: 'Escalate a routed billing case to the billing feedback address',
    description:
      'Once per case, on a case routed to the billing team only (409 otherwise, and 409 while no BILLING_FEEDBACK_ADDRESS is configured). The event records the address, reason, actor and instant.',
  })
  @ApiCreatedResponse({
    type: BillingFeedbackResultDto,
    description: 'Escalated',
    headers: { ETag: { description: 'The new revision of the case, e.g. "2"', schema: { type: 'string' } } },
  })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @Post(':id/billing-escalation')
  @HttpCode(201)
  @Roles('support', 'manager', 'partner')
  async escalate(
    @Param() { id }: CaseIdParam,
    @Body() body: ReasonDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.commands.execute(
      id,
      { type: 'EscalateToBillingFeedback', data: { reason: body.reason, by: request.principal.name } },
      commandMetadataFrom(request),
    );
    const escalated = outcome.events.find((e) => e.type === 'EscalatedToBillingFeedback');
    // A repeat is refused (409), so a stored command always carries its event.
    if (escalated?.type !== 'EscalatedToBillingFeedback') throw new Error('a billing escalation must record its event');
    return commandResponse(response, outcome, {
      caseId: id,
      address: escalated.data.address,
      at: escalated.data.at,
    });
  }
}
