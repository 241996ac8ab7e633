import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiCommandHeaders,
  ApiProblems,
  COMMAND_PROBLEMS,
  READ_PROBLEMS,
} from '../platform/openapi/api-problems.decorator';
import {
  EngineerAvailabilityResultDto,
  EngineerBackupResultDto,
  EngineerListDto,
  RegisterEngineerResultDto,
} from './dto/engineer.responses';
import type { FastifyReply } from 'fastify';
import { Roles } from '../platform/auth/roles.decorator';
import type { AuthenticatedRequest } from '../platform/auth/auth.guard';
import { commandMetadataFrom, commandResponse } from '../platform/http/command-request';
import { IdempotencyInterceptor } from '../platform/idempotency/idempotency.interceptor';
import { ReadConsistency } from '../projections/read-consistency';
import { EngineerAvailabilityDto, EngineerBackupDto, RegisterEngineerDto } from './dto/engineer.dto';
import { EngineerCommandService } from './engineer-command.service';
import { EngineersQuery } from './engineers.query';
import { EngineerIdParam } from './dto/engineer-id.param';

/** Every command answers the engineer's new revision as its ETag (send it back as If-Match). */
const ETAG = {
  ETag: { description: 'The new revision of the engineer, e.g. "2"', schema: { type: 'string' as const } },
};

@ApiTags('engineers')
@ApiBearerAuth()
@Controller('v1/engineers')
@UseInterceptors(IdempotencyInterceptor)
export class EngineersController {
  constructor(
    private readonly commands: EngineerCommandService,
    private readonly engineers: EngineersQuery,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Register an engineer',
    description: 'Without engineerId the service chooses one (derived from the Idempotency-Key when there is one).',
  })
  @ApiCreatedResponse({ type: RegisterEngineerResultDto, description: 'Registered', headers: ETAG })
  @ApiProblems(400, 401, 403, 409, 422, 429, 503)
  @ApiCommandHeaders({ ifMatch: false })
  @HttpCode(201)
  @Roles('admin')
  async register(
    @Body() body: RegisterEngineerDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.commands.register(body, commandMetadataFrom(request));
    return commandResponse(response, outcome, { engineerId: outcome.engineerId });
  }

  @Post(':engineerId/availability')
  @ApiOperation({ summary: "Change an engineer's availability" })
  @ApiOkResponse({ type: EngineerAvailabilityResultDto, description: 'The availability in force', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @HttpCode(200)
  @Roles('support', 'manager')
  async availability(
    @Param() { engineerId }: EngineerIdParam,
    @Body() body: EngineerAvailabilityDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.commands.changeAvailability(engineerId, body.status, commandMetadataFrom(request));
    return commandResponse(response, outcome, { engineerId, availability: outcome.state?.availability });
  }

  @Put(':engineerId/backup')
  @ApiOperation({
    summary: "Name an engineer's backup",
    description: 'The backup takes the severity-A calls of a case whose engineer is not on shift. null: none.',
  })
  @ApiOkResponse({ type: EngineerBackupResultDto, description: 'The backup in force', headers: ETAG })
  @ApiProblems(...COMMAND_PROBLEMS)
  @ApiCommandHeaders({ ifMatch: true })
  @HttpCode(200)
  @Roles('admin', 'support', 'manager')
  async backup(
    @Param() { engineerId }: EngineerIdParam,
    @Body() body: EngineerBackupDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const outcome = await this.commands.nameBackup(engineerId, body.backupEngineerId, commandMetadataFrom(request));
    return commandResponse(response, outcome, {
      engineerId,
      backupEngineerId: outcome.state?.backupEngineerId ?? null,
    });
  }

  @Get()
  @ApiOperation({ summary: 'List engineers', description: 'With their availability and open cases by severity.' })
  @ApiOkResponse({ type: EngineerListDto, description: 'The engineers' })
  @ApiProblems(...READ_PROBLEMS)
  @Roles('support', 'manager', 'auditor')
  async list(@Req() request: AuthenticatedRequest) {
    await this.consistency.waitFor(request, ['engineers']);
    return { items: await this.engineers.list() };
  }
}
