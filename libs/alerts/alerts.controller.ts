import { Controller, Get, MessageEvent, Query, Req, Res, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, READ_PROBLEMS } from '../platform/openapi/api-problems.decorator';
import { AlertListDto } from './dto/alert.responses';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { CurrentPrincipal } from '../platform/auth/current-principal.decorator';
import { Principal } from '../platform/auth/principal';
import { Roles } from '../platform/auth/roles.decorator';
import { ProblemError } from '../platform/http/problem';
import { requestHeader } from '../platform/http/request-headers';
import { ReadConsistency } from '../projections/read-consistency';
import { AlertFeedService } from './alert-feed.service';
import { AlertsQueryService } from './alerts.query';
import { AlertsQuery, AlertStreamQuery } from './dto/alerts.query';

const HEARTBEAT_MS = 15_000;
/** What a client refused for too many open streams is told to wait. */
const STREAM_RETRY_AFTER_S = 10;

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
@Roles('ops', 'support', 'manager', 'auditor')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsQueryService,
    private readonly consistency: ReadConsistency,
    private readonly feed: AlertFeedService,
  ) {}

  /** SLA alerts, newest first. */
  @Get()
  @ApiOperation({
    summary: 'List SLA alerts',
    description: 'Warnings, breaches, escalations, pauses and resumptions, newest first.',
  })
  @ApiOkResponse({ type: AlertListDto, description: 'The alerts' })
  @ApiProblems(...READ_PROBLEMS)
  async list(@Query() query: AlertsQuery, @Req() request: FastifyRequest) {
    await this.consistency.waitFor(request, ['alerts']);
    return { items: await this.alerts.list(query) };
  }

  /**
   * The same alerts, live, as server-sent events (`id` = the alert's stream sequence). A client
   * that reconnects with Last-Event-ID gets everything after it first; a new client starts now.
   * Every stream of this process is fed by one shared poll of the read model (AlertFeedService),
   * so any API process serves the stream whichever process projects. At most SSE_MAX_PER_KEY
   * streams per key and process (429 beyond).
   */
  @Sse('stream')
  @ApiOperation({
    summary: 'Stream SLA alerts (server-sent events)',
    description:
      'Each event: `id` the alert sequence, `event` its kind, `data` the alert (as in the list). Reconnect with Last-Event-ID to resume.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this alert sequence',
    schema: { type: 'string', pattern: '^[0-9]{1,15}$' },
  })
  @ApiOkResponse({
    description: 'An endless text/event-stream of alerts',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblems(...READ_PROBLEMS)
  stream(
    @Query() query: AlertStreamQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ): Observable<MessageEvent> {
    const release = this.feed.reserve(principal.name);
    if (!release) {
      response.header('Retry-After', String(STREAM_RETRY_AFTER_S));
      throw ProblemError.of(429, `this API key already has ${this.feed.maxPerKey} open alert streams; close one first`);
    }
    // The slot is the connection's: freed however it ends.
    response.raw.once('close', release);
    const lastEventId = requestHeader(request, 'last-event-id');
    const resumeAfter = /^\d{1,15}$/.test(lastEventId ?? '') ? Number(lastEventId) : null;
    return new Observable<MessageEvent>((subscriber) => {
      // A comment line on the response itself (Nest streams the events to it, too).
      const heartbeat = setInterval(() => response.raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const alerts = this.feed.stream(query.kind, resumeAfter).subscribe({
        next: ({ seq, alert }) => subscriber.next({ id: String(seq), type: alert.kind, data: alert }),
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        clearInterval(heartbeat);
        alerts.unsubscribe();
        release();
      };
    });
  }
}
