import { Body, Controller, Get, HttpCode, Put, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../platform/auth/auth.guard';
import { Roles } from '../platform/auth/roles.decorator';
import { commandMetadataFrom, commandResponse } from '../platform/http/command-request';
import { IdempotencyInterceptor } from '../platform/idempotency/idempotency.interceptor';
import { ApiCommandHeaders, ApiProblems, READ_PROBLEMS } from '../platform/openapi/api-problems.decorator';
import { DutyManagerDto, DutyManagerResultDto, SetDutyManagerDto } from './dto/duty-manager.dto';
import { DutyManagerService } from './duty-manager.service';

@ApiTags('engineers')
@ApiBearerAuth()
@Controller('v1/duty-manager')
@UseInterceptors(IdempotencyInterceptor)
export class DutyManagerController {
  constructor(private readonly dutyManager: DutyManagerService) {}

  @Get()
  @ApiOperation({
    summary: 'Who is the duty manager',
    description: 'Read from its stream (current). Overdue cases with nobody else to escalate to go to this manager.',
  })
  @ApiOkResponse({ type: DutyManagerDto, description: 'The duty manager (managerId null: nobody on duty)' })
  @ApiProblems(...READ_PROBLEMS)
  @Roles('admin', 'support', 'manager', 'ops', 'auditor')
  async get(@Res({ passthrough: true }) response: FastifyReply) {
    const { state, revision } = await this.dutyManager.read();
    response.header('ETag', `"${revision}"`);
    return { engineerId: state.managerId, since: state.since, by: state.by, revision };
  }

  @Put()
  @ApiOperation({ summary: 'Set the duty manager', description: 'engineerId: a manager; null: nobody on duty.' })
  @ApiOkResponse({ type: DutyManagerResultDto, description: 'The duty manager in force' })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429, 503)
  @ApiCommandHeaders({ ifMatch: true })
  @HttpCode(200)
  @Roles('admin', 'manager')
  async set(
    @Body() body: SetDutyManagerDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.dutyManager.set(body.engineerId, commandMetadataFrom(request));
    const { managerId, since, by } = outcome.state;
    return commandResponse(response, outcome, { engineerId: managerId, since, by });
  }
}
