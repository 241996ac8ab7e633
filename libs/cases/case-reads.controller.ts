import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblems, READ_PROBLEMS } from '../platform/openapi/api-problems.decorator';
import { CaseAsOfDto, CaseHistoryEntryDto, CaseListPageDto, CaseViewDto } from './dto/case.responses';
import { IsCalendarInstant } from '../platform/validation/is-instant';
import type { AuthenticatedRequest } from '../platform/auth/auth.guard';
import { EventStore } from '../event-store/event-store';
import { EVENT_STORE } from '../platform/tokens';
import { Clock } from '../platform/clock/clock';
import { CommandHandler } from '../platform/commanding/handle-command';
import { caseDecider } from '../domain/case/case.decider';
import { parseCaseEvents } from '../events/event-parser';
import { fold } from '../domain/shared/decider';
import { Case } from '../domain/case/case.state';
import { assertCaseVisible, caseNotFound, caseStreamId, tenantFilters } from './case-access';
import { caseView } from './case.view';
import { CaseListService } from './case-list.query';
import { CaseListQuery } from './dto/case-list.query';
import { ReadConsistency } from '../projections/read-consistency';
import { CaseIdParam } from './dto/case-id.param';
import { SlaPolicyService } from '../sla/sla-policy.service';
import { PausedTime } from '../domain/case/sla-as-of';
import { locationOf } from '../domain/case/sla-clocks';

class AsOfQuery {
  @ApiProperty({
    description: 'The instant to show the case at (ISO-8601 with an offset)',
    example: '2026-11-23T10:00:00Z',
  })
  @IsCalendarInstant({ message: 'asOf must be an ISO-8601 instant, e.g. 2026-11-23T10:00:00Z' })
  asOf!: string;
}

/**
 * Reads of one case, always current: folded from its stream, not from a projection.
 * Every role may read; a partner only its own cases.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class CaseReadsController {
  constructor(
    private readonly runner: CommandHandler,
    private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cases: CaseListService,
    private readonly consistency: ReadConsistency,
    private readonly sla: SlaPolicyService,
  ) {}

  /** Paused time is counted in the clock's own calendar (business time on a business clock). */
  private pausedTime(state: Case): PausedTime {
    return (clock, from, to) =>
      Math.max(0, this.sla.calculator.clockTimeBetween(clock.severity, from, to, locationOf(state)));
  }

  /** The case list (a projection: `consistentWith` waits for a command's effect). Partners and customers see their own. */
  @Get()
  @ApiOperation({
    summary: 'List cases',
    description:
      "Newest first, filtered, paginated by cursor. A partner key sees its own cases, a customer key its own customer's. `consistentWith` (a command's `position`) waits until the list shows that command.",
  })
  @ApiOkResponse({ type: CaseListPageDto, description: 'A page of cases' })
  @ApiProblems(...READ_PROBLEMS)
  async list(@Query() query: CaseListQuery, @Req() request: AuthenticatedRequest) {
    const filters = tenantFilters(request.principal, query);
    if (filters === null) return { items: [], nextCursor: null };
    await this.consistency.waitFor(request, ['cases']);
    return this.cases.list({ ...query, ...filters });
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Read a case',
    description: 'Always current: folded from its stream. The SLA clocks are evaluated now.',
  })
  @ApiOkResponse({ type: CaseViewDto, description: 'The case' })
  @ApiProblems(...READ_PROBLEMS, 404)
  async get(@Param() { id }: CaseIdParam, @Req() request: AuthenticatedRequest) {
    const { state, revision } = await this.runner.load(caseDecider, caseStreamId(id));
    assertCaseVisible(request.principal, state, id);
    return caseView(state as Case, revision, this.clock.nowIso(), this.pausedTime(state as Case));
  }

  @Get(':id/history')
  @ApiOperation({
    summary: "Read a case's events",
    description: 'Every event of the case, in order, with its metadata.',
  })
  @ApiOkResponse({ type: [CaseHistoryEntryDto], description: 'The events of the case' })
  @ApiProblems(...READ_PROBLEMS, 404)
  async history(@Param() { id }: CaseIdParam, @Req() request: AuthenticatedRequest) {
    const { state, events } = await this.runner.load(caseDecider, caseStreamId(id));
    assertCaseVisible(request.principal, state, id);
    return events.map((e) => ({
      revision: e.revision,
      position: e.position,
      eventId: e.id,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
    }));
  }

  @Get(':id/state')
  @ApiOperation({
    summary: 'Read a case as it stood at an instant',
    description: 'Every event that had happened by `asOf`; the clocks evaluated at that instant.',
  })
  @ApiOkResponse({ type: CaseAsOfDto, description: 'The case at asOf' })
  @ApiProblems(...READ_PROBLEMS, 404)
  async asOf(@Param() { id }: CaseIdParam, @Query() { asOf }: AsOfQuery, @Req() request: AuthenticatedRequest) {
    const events = parseCaseEvents(await this.store.readStream(caseStreamId(id)));
    assertCaseVisible(request.principal, fold(caseDecider.evolve, null, events), id);
    const instant = new Date(asOf).toISOString();
    // The case as it stood then: every event that had happened by that instant.
    const past = events.filter((e) => Date.parse(e.metadata.occurredAt) <= Date.parse(instant));
    const state = fold(caseDecider.evolve, null, past);
    if (!state) throw caseNotFound(id);
    return { asOf: instant, ...caseView(state, past.length - 1, instant, this.pausedTime(state)) };
  }
}
