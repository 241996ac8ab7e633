import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO31661Alpha2, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCalendarInstant } from '../../platform/validation/is-instant';
import { IsIanaTimeZone } from '../../platform/validation/is-iana-time-zone';
import { IsHolidayCountry } from '../../platform/validation/is-holiday-country';
import { IsHolidayRegion } from '../../platform/validation/is-holiday-region';
import { IsTimeZoneOfCountry } from '../../platform/validation/is-time-zone-of-country';
import { SEVERITIES } from '../../domain/case/case.types';
import type { Severity } from '../../domain/case/case.types';

export class SlaPreviewQuery {
  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES, { message: 'severity must be one of A, B, C' })
  severity!: Severity;
  @ApiProperty({ example: '2026-11-13T15:30:00Z' })
  @IsCalendarInstant({ message: 'from must be an ISO-8601 instant with an offset, e.g. 2026-11-13T16:30:00+01:00' })
  from!: string;
  @ApiProperty({ example: 'Europe/Paris' }) @IsIanaTimeZone() @IsTimeZoneOfCountry() timeZone!: string;
  @ApiPropertyOptional({ example: 'FR' })
  @IsOptional()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 country code such as FR' })
  @IsHolidayCountry()
  country?: string;
  @ApiPropertyOptional({ example: 'NSW', description: 'A region of country: its public holidays count too' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @IsHolidayRegion()
  region?: string;
}
