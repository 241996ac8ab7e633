import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, READ_PROBLEMS } from '../platform/openapi/api-problems.decorator';
import { SlaPreviewDto } from './dto/sla-preview.responses';
import { previewClocks } from '../domain/sla/clock-calculator';
import { SlaPolicyService } from './sla-policy.service';
import { SlaPreviewQuery } from './dto/sla-preview.query';

/** GET /v1/sla/preview: the clocks a case opened at `from` (in timeZone, country, region) would get under the policy in force. */
@ApiTags('sla')
@ApiBearerAuth()
@Controller('v1/sla')
export class SlaPreviewController {
  constructor(private readonly sla: SlaPolicyService) {}

  @Get('preview')
  @ApiOperation({
    summary: 'Preview the SLA clocks of a case opened at an instant',
    description: 'Under the policy in force, in the given time zone, country and region.',
  })
  @ApiOkResponse({ type: SlaPreviewDto, description: 'The due and warning instants' })
  @ApiProblems(...READ_PROBLEMS)
  preview(@Query() query: SlaPreviewQuery) {
    return previewClocks(this.sla.calculator, query.severity, new Date(query.from).toISOString(), {
      timeZone: query.timeZone,
      country: query.country,
      region: query.country ? query.region : undefined,
    });
  }
}
