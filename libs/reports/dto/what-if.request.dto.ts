import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsCalendarInstant } from '../../platform/validation/is-instant';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** POST /v1/sla/what-if: a proposed policy document and which cases to replay under it. */
export class WhatIfRequestDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The proposed SLA policy, exactly as an SLA_POLICY_FILE (validated the same way)',
  })
  @IsObject({ message: 'policy must be an SLA policy document (an object)' })
  policy!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Cases submitted at or after this instant', example: '2026-07-01T00:00:00Z' })
  @IsOptional()
  @IsCalendarInstant({ message: 'from must be an ISO-8601 instant, e.g. 2026-07-01T00:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ description: 'Cases submitted before this instant', example: '2026-10-01T00:00:00Z' })
  @IsOptional()
  @IsCalendarInstant({ message: 'to must be an ISO-8601 instant, e.g. 2026-10-01T00:00:00Z' })
  to?: string;

  @ApiPropertyOptional({ description: "Only this partner's cases" })
  @IsOptional()
  @Matches(ID, { message: 'partnerId must be a partner id' })
  partnerId?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10000,
    default: 1000,
    description: 'How many changed clocks to list (the counts are always complete)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'changesLimit must be a whole number' })
  @Min(0)
  @Max(10000)
  changesLimit?: number;
}
