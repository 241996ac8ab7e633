import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../platform/auth/auth.guard';
import { Roles } from '../platform/auth/roles.decorator';
import { commandMetadataFrom, commandResponse } from '../platform/http/command-request';
import { IdempotencyInterceptor } from '../platform/idempotency/idempotency.interceptor';
import {
  ApiCommandHeaders,
  ApiProblems,
  COMMAND_PROBLEMS,
  READ_PROBLEMS,
} from '../platform/openapi/api-problems.decorator';
import { ReadConsistency } from '../projections/read-consistency';
import { CallQueueQuery } from './call-queue.query';
import { CallQueueService } from './call-queue.service';
import { CallIdParam, CallQueueDto, TakeCallDto, TakeCallResultDto } from './dto/call-queue.dto';

/** The support team's call queue: calls on severity B/C cases, waiting for an engineer. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/call-queue')
@UseInterceptors(IdempotencyInterceptor)
export class CallQueueController {
  constructor(
    private readonly queue: CallQueueQuery,
    private readonly calls: CallQueueService,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The call queue',
    description: 'Calls waiting for an engineer, oldest first, with waiting time.',
  })
  @ApiOkResponse({ type: CallQueueDto, description: 'The waiting calls' })
  @ApiProblems(...READ_PROBLEMS)
  @Roles('support', 'manager', 'ops', 'auditor')
  async list(@Req() request: AuthenticatedRequest) {
    await this.consistency.waitFor(request, ['call-queue']);
    return { items: await this.queue.waiting() };
  }

  @Post(':callId/taken')
  @ApiOperation({ summary: 'Take a queued call', description: 'Once: taking a call already taken is a 409.' })
  @ApiOkResponse({ type: TakeCallResultDto, description: 'Taken' })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: false })
  @HttpCode(200)
  @Roles('support', 'manager')
  async take(
    @Param() { callId }: CallIdParam,
    @Body() body: TakeCallDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.calls.take(callId, body.engineerId, commandMetadataFrom(request));
    const taken = outcome.events.find((e) => e.type === 'QueuedCallTaken');
    if (taken?.type !== 'QueuedCallTaken') throw new Error('taking a call must record QueuedCallTaken');
    const { engineerId, queuedAt, at } = taken.data;
    return commandResponse(response, outcome, {
      callId,
      caseId: outcome.caseId,
      engineerId,
      waitedSeconds: Math.max(0, Math.floor((Date.parse(at) - Date.parse(queuedAt)) / 1000)),
    });
  }
}
