import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCalendarInstant } from '../../platform/validation/is-instant';
import { IsPosition } from '../../platform/validation/is-position';

export class AlertsQuery {
  @ApiPropertyOptional({ description: 'ISO-8601: only alerts that happened at or after this instant' })
  @IsOptional()
  @IsCalendarInstant({ message: 'since must be an ISO-8601 instant such as 2026-11-23T10:00:00Z' })
  since?: string;
  @ApiPropertyOptional({ enum: ['warning', 'breach', 'escalation', 'paused', 'resumed'] })
  @IsOptional()
  @IsIn(['warning', 'breach', 'escalation', 'paused', 'resumed'], {
    message: 'kind must be one of warning, breach, escalation, paused, resumed',
  })
  kind?: 'warning' | 'breach' | 'escalation' | 'paused' | 'resumed';
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
  @ApiPropertyOptional({ enum: ['warning', 'breach', 'escalation', 'paused', 'resumed'] })
  @IsOptional()
  @IsIn(['warning', 'breach', 'escalation', 'paused', 'resumed'], {
    message: 'kind must be one of warning, breach, escalation, paused, resumed',
  })
  kind?: 'warning' | 'breach' | 'escalation' | 'paused' | 'resumed';
}
