import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsCalendarInstant } from '../../platform/validation/is-instant';
import { IsPosition } from '../../platform/validation/is-position';
import { REPORT_GROUPS, ReportGroup } from '../compliance/sla-report.query';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** GET /v1/reports/sla: the range (cases submitted in [from, to)), the grouping, a partner. */
export class SlaReportQueryDto {
  @ApiPropertyOptional({
    description: 'Cases submitted at or after this instant (ISO-8601 with an offset)',
    example: '2026-10-01T00:00:00Z',
  })
  @IsOptional()
  @IsCalendarInstant({ message: 'from must be an ISO-8601 instant, e.g. 2026-10-01T00:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ description: 'Cases submitted before this instant', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsCalendarInstant({ message: 'to must be an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z' })
  to?: string;

  @ApiPropertyOptional({ enum: REPORT_GROUPS, description: 'One line per value; month: the month (UTC) of submission' })
  @IsOptional()
  @IsIn(REPORT_GROUPS, { message: `groupBy must be one of ${REPORT_GROUPS.join(', ')}` })
  groupBy?: ReportGroup;

  @ApiPropertyOptional({ description: "Only this partner's cases (a partner key always gets only its own)" })
  @IsOptional()
  @Matches(ID, { message: 'partnerId must be a partner id' })
  partnerId?: string;

  @ApiPropertyOptional({ description: 'A command position: wait until the report includes its effect' })
  @IsOptional()
  @IsPosition({ message: 'consistentWith must be a decimal position' })
  consistentWith?: string;
}
