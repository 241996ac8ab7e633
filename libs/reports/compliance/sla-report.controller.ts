import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SqlClient } from '../../event-store/sql/sql-client';
import type { AuthenticatedRequest } from '../../platform/auth/auth.guard';
import { Roles } from '../../platform/auth/roles.decorator';
import { Clock } from '../../platform/clock/clock';
import { ProblemError } from '../../platform/http/problem';
import { ApiProblems, READ_PROBLEMS } from '../../platform/openapi/api-problems.decorator';
import { READ_MODEL_SQL } from '../../platform/tokens';
import { ReadConsistency } from '../../projections/read-consistency';
import { SlaReportDto } from '../dto/reports.responses';
import { SlaReportQueryDto } from '../dto/sla-report.query.dto';
import { slaReportCsv } from './sla-report.csv';
import { slaReport } from './sla-report.query';

/** Whether the client asked for CSV (Accept: text/csv) rather than JSON. */
const wantsCsv = (accept: string | undefined) => /(^|,)\s*text\/csv\b/i.test(accept ?? '');

/** GET /v1/reports/sla: SLA compliance from the sla-outcomes read model. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class SlaReportController {
  constructor(
    @Inject(READ_MODEL_SQL) private readonly sql: SqlClient,
    private readonly consistency: ReadConsistency,
    private readonly clock: Clock,
  ) {}

  @Get('sla')
  // The people who run the desk (issue 16): support, managers, auditors, ops (admin always); partners their own.
  @Roles('support', 'manager', 'auditor', 'ops', 'partner')
  @ApiOperation({
    summary: 'SLA compliance report',
    description:
      'Clocks met, breached, stopped and open, % on time, paused time, median and p90 of first response, time between updates and resolution, escalations; in total and per group. JSON, or CSV with `Accept: text/csv`. A partner key gets its own cases only.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: SlaReportDto, description: 'The report' })
  @ApiProblems(...READ_PROBLEMS)
  async report(
    @Query() query: SlaReportQueryDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const principal = request.principal;
    let partnerId = query.partnerId;
    if (principal.role === 'partner') {
      if (partnerId !== undefined && partnerId !== principal.partnerId) {
        throw ProblemError.of(403, "a partner key reads its own partner's report only");
      }
      partnerId = principal.partnerId;
    }
    if (query.from !== undefined && query.to !== undefined && Date.parse(query.from) >= Date.parse(query.to)) {
      throw ProblemError.of(400, 'from must be before to', {
        errors: [{ field: 'from', message: 'must be before to' }],
      });
    }
    await this.consistency.waitFor(request, ['sla-outcomes']);
    const report = await slaReport(this.sql, {
      from: query.from && new Date(query.from).toISOString(),
      to: query.to && new Date(query.to).toISOString(),
      groupBy: query.groupBy,
      partnerId,
      now: this.clock.nowIso(),
    });
    if (!wantsCsv(request.headers.accept)) return report;
    response.header('content-type', 'text/csv; charset=utf-8');
    response.header('content-disposition', 'attachment; filename="sla-report.csv"');
    return slaReportCsv(report);
  }
}
