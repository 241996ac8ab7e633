import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCalendarInstant } from '../../platform/validation/is-instant';
import { IsPosition } from '../../platform/validation/is-position';
import { ALERT_KINDS } from '../../projections/read-models/alerts.projection';
import type { AlertKind } from '../../projections/read-models/alerts.projection';

export class AlertsQuery {
  @ApiPropertyOptional({ description: 'ISO-8601: only alerts that happened at or after this instant' })
  @IsOptional()
  @IsCalendarInstant({ message: 'since must be an ISO-8601 instant such as 2026-11-23T10:00:00Z' })
  since?: string;
  @ApiPropertyOptional({ enum: ALERT_KINDS })
  @IsOptional()
  @IsIn(ALERT_KINDS, { message: `kind must be one of ${ALERT_KINDS.join(', ')}` })
  kind?: AlertKind;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(500)
  limit?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @IsPosition({ message: 'consistentWith must be a decimal position' })
  consistentWith?: string;
}

export class AlertStreamQuery {
  @ApiPropertyOptional({ enum: ALERT_KINDS })
  @IsOptional()
  @IsIn(ALERT_KINDS, { message: `kind must be one of ${ALERT_KINDS.join(', ')}` })
  kind?: AlertKind;
}
