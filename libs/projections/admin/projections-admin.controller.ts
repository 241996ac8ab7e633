import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblems, READ_PROBLEMS } from '../../platform/openapi/api-problems.decorator';
import { ProjectionStatusListDto, RebuildStartedDto } from './projections-admin.responses';
import { IsIn } from 'class-validator';
import { EventStore } from '../../event-store/event-store';
import { SqlClient } from '../../event-store/sql/sql-client';
import { Roles } from '../../platform/auth/roles.decorator';
import { ProblemError } from '../../platform/http/problem';
import { JsonLogger } from '../../platform/logging/json-logger';
import { EVENT_STORE, READ_MODEL_SQL } from '../../platform/tokens';
import { ALL_PROJECTIONS } from '../read-models/all-projections';
import { ProjectionRebuilder, RebuildProgress, RebuildResult } from '../rebuild/projection-rebuilder';

const NAMES = ALL_PROJECTIONS.map((p) => p.name);

class ProjectionParam {
  @ApiProperty({ enum: NAMES, description: 'The projection' })
  @IsIn(NAMES, { message: `name must be one of ${NAMES.join(', ')}` })
  name!: string;
}

interface RebuildStatus {
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  progress: RebuildProgress | null;
  result?: RebuildResult;
  error?: string;
}

/**
 * Projection status and rebuilds over HTTP (admin): the way to rebuild on the embedded store, whose
 * files only the running service may open. The rebuild runs in the background; its progress is
 * in GET /v1/admin/projections.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/projections')
@Roles('admin')
export class ProjectionsAdminController {
  private readonly rebuilds = new Map<string, RebuildStatus>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SQL) private readonly sql: SqlClient,
    private readonly logger: JsonLogger,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Projection status',
    description: 'Checkpoints, events applied, and any rebuild with its progress.',
  })
  @ApiOkResponse({ type: ProjectionStatusListDto, description: 'Every projection' })
  @ApiProblems(...READ_PROBLEMS)
  async status() {
    const rows = await this.sql.query<{
      name: string;
      checkpoint: string | null;
      position: string | null;
      events_applied: string;
      updated_at: Date;
    }>(
      'select name, checkpoint, position, events_applied::text as events_applied, updated_at from ct_projections order by name',
    );
    return {
      items: rows.map((r) => ({
        name: r.name,
        checkpoint: r.checkpoint,
        position: r.position,
        eventsApplied: Number(r.events_applied),
        updatedAt: new Date(r.updated_at).toISOString(),
        rebuild: this.rebuilds.get(r.name) ?? null,
      })),
    };
  }

  @Post(':name/rebuild')
  @ApiOperation({
    summary: 'Rebuild a projection',
    description:
      'Runs in the background beside the live tables, then switches over; progress in GET /v1/admin/projections.',
  })
  @ApiAcceptedResponse({ type: RebuildStartedDto, description: 'The rebuild started' })
  @ApiProblems(400, 401, 403, 409, 429, 503)
  @HttpCode(202)
  rebuild(@Param() { name }: ProjectionParam) {
    if (this.rebuilds.get(name)?.state === 'running')
      throw ProblemError.of(409, `a rebuild of ${name} is already running`);
    const status: RebuildStatus = { state: 'running', startedAt: new Date().toISOString(), progress: null };
    this.rebuilds.set(name, status);
    const rebuilder = new ProjectionRebuilder(this.store, this.sql, ALL_PROJECTIONS, {
      onProgress: (progress) => (status.progress = progress),
    });
    rebuilder
      .rebuild(name)
      .then(([result]) => {
        status.state = 'done';
        status.result = result;
        this.logger.event('info', 'projection rebuilt', { ...result }, 'Projections');
      })
      .catch((error: Error) => {
        status.state = 'failed';
        status.error = error.message;
        this.logger.event(
          'error',
          'projection rebuild failed',
          { projection: name, error: error.message },
          'Projections',
        );
      });
    return { projection: name, state: 'running', status: '/v1/admin/projections' };
  }
}
