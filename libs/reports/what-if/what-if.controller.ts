import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SlaPolicyError } from '../../domain/sla/sla-errors';
import { EventStore } from '../../event-store/event-store';
import { Roles } from '../../platform/auth/roles.decorator';
import { APP_CONFIG, AppConfig } from '../../platform/config/app-config';
import { Clock } from '../../platform/clock/clock';
import { ProblemError } from '../../platform/http/problem';
import { ApiProblems } from '../../platform/openapi/api-problems.decorator';
import { EVENT_STORE } from '../../platform/tokens';
import { WhatIfRequestDto } from '../dto/what-if.request.dto';
import { WhatIfResultDto } from '../dto/reports.responses';
import { runWhatIf, WhatIfTimeoutError } from './what-if.service';

/**
 * POST /v1/sla/what-if: every case's recorded history (in the range, of the partner) replayed
 * under a proposed policy beside the policy it really ran under. Reads the store; writes nothing.
 * A POST only because the policy document is a body.
 */
@ApiTags('sla')
@ApiBearerAuth()
@Controller('v1/sla')
export class WhatIfController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('what-if')
  @HttpCode(200)
  @Roles('manager', 'auditor')
  @ApiOperation({
    summary: 'Replay recorded cases under a proposed SLA policy',
    description:
      'Side by side with the policy each case ran under: clocks and breaches under each, the clocks whose outcome changes, totals per severity. Writes nothing. A run longer than WHAT_IF_HTTP_TIMEOUT_MS (default 20 s) is a 503 pointing to the CLI (`npm run cli -- what-if`).',
  })
  @ApiOkResponse({ type: WhatIfResultDto, description: 'The comparison' })
  @ApiProblems(400, 401, 403, 429, 503)
  async whatIf(@Body() body: WhatIfRequestDto) {
    if (body.from !== undefined && body.to !== undefined && Date.parse(body.from) >= Date.parse(body.to)) {
      throw ProblemError.of(400, 'from must be before to', {
        errors: [{ field: 'from', message: 'must be before to' }],
      });
    }
    const timeoutMs = this.config.whatIfHttpTimeoutMs ?? 0;
    try {
      return await runWhatIf(
        this.store,
        {
          policy: body.policy,
          source: 'in the request body',
          asOf: this.clock.nowIso(),
          from: body.from && new Date(body.from).toISOString(),
          to: body.to && new Date(body.to).toISOString(),
          partnerId: body.partnerId,
          changesLimit: body.changesLimit ?? 1000,
        },
        undefined,
        // Bounded: a request must not hold its thread's share (and a client) for minutes.
        { deadline: timeoutMs > 0 ? performance.now() + timeoutMs : undefined },
      );
    } catch (error) {
      if (error instanceof WhatIfTimeoutError) {
        throw ProblemError.of(
          503,
          `the what-if did not finish within ${timeoutMs} ms over HTTP: narrow it (from, to, partnerId) or run it without a limit with the CLI: npm run cli -- what-if --policy <file>`,
        );
      }
      if (!(error instanceof SlaPolicyError)) throw error;
      // Every problem at once, named as at start, under the body's `policy` field.
      throw ProblemError.of(400, error.message, {
        errors: error.errors.map((e) => ({
          field: e.field === '(root)' ? 'policy' : `policy.${e.field}`,
          message: e.message,
        })),
      });
    }
  }
}
