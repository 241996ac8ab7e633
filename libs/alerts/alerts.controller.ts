import { Controller, Get, MessageEvent, Query, Req, Res, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { Roles } from '../platform/auth/roles.decorator';
import { requestHeader } from '../platform/http/request-headers';
import { ReadConsistency } from '../projections/read-consistency';
import { AlertsQueryService } from './alerts.query';
import { AlertsQuery, AlertStreamQuery } from './dto/alerts.query';

const POLL_MS = 200;
const HEARTBEAT_MS = 15_000;

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
@Roles('ops', 'support', 'manager', 'auditor')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsQueryService,
    private readonly consistency: ReadConsistency,
  ) {}

  /** SLA alerts, newest first. */
  @Get()
  async list(@Query() query: AlertsQuery, @Req() request: FastifyRequest) {
    await this.consistency.waitFor(request, ['alerts']);
    return { items: await this.alerts.list(query) };
  }

  /**
   * The same alerts, live, as server-sent events (`id` = the alert's stream sequence). A client
   * that reconnects with Last-Event-ID gets everything after it first; a new client starts now.
   * The read model is polled, so any API process serves the stream whichever process projects.
   */
  @Sse('stream')
  stream(@Query() query: AlertStreamQuery, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply): Observable<MessageEvent> {
    const lastEventId = requestHeader(request, 'last-event-id');
    return new Observable<MessageEvent>((subscriber) => {
      let closed = false;
      let timer: NodeJS.Timeout | undefined;
      let cursor = /^\d+$/.test(lastEventId ?? '') ? Number(lastEventId) : null;
      // A comment line on the response itself (Nest streams the events to it, too).
      const heartbeat = setInterval(() => response.raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const poll = async () => {
        try {
          if (cursor === null) cursor = await this.alerts.lastSeq();
          for (const { seq, alert } of await this.alerts.after(cursor, query.kind)) {
            subscriber.next({ id: String(seq), type: alert.kind, data: alert });
            cursor = seq;
          }
        } catch (error) {
          subscriber.error(error);
          return;
        }
        if (!closed) timer = setTimeout(poll, POLL_MS);
      };
      void poll();
      return () => {
        closed = true;
        clearTimeout(timer);
        clearInterval(heartbeat);
      };
    });
  }
}
