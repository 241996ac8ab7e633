import { ApiProperty } from '@nestjs/swagger';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { AWAITING_PARTNER_REASONS } from '../../domain/case/case.events';
import type { AwaitingPartnerReason } from '../../domain/case/case.events';
import { SEVERITIES, UPDATE_CHANNELS } from '../../domain/case/case.types';
import type { Severity, UpdateChannel } from '../../domain/case/case.types';

export class AssignSeverityDto {
  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES, { message: 'severity must be one of A, B, C' })
  severity!: Severity;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class PartnerAvailabilityDto {
  @ApiProperty() @IsBoolean() available24x7!: boolean;
}

export class AssignEngineerDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, { message: 'engineerId must be an engineer id' })
  engineerId!: string;

  @ApiPropertyOptional({
    description: 'Assign an engineer who is not on shift to a severity-A case anyway (needs a reason)',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;

  @ApiPropertyOptional({ description: 'Why (required with force: true); recorded in the event' })
  @ValidateIf((dto: AssignEngineerDto) => dto.force === true || dto.reason !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'reason is required with force: true' })
  @MaxLength(1000)
  reason?: string;
}

export class LogUpdateDto {
  @ApiProperty({ enum: UPDATE_CHANNELS })
  @IsIn(UPDATE_CHANNELS, { message: 'channel must be one of email, phone, portal' })
  channel!: UpdateChannel;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) summary!: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class SeverityACallDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) caller!: string;
}

export class ResolutionDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) summary!: string;
}

/** POST /v1/cases/{id}/awaiting-partner: what staff need from the partner, sent as an update. */
export class AwaitingPartnerDto {
  @ApiProperty({ enum: AWAITING_PARTNER_REASONS })
  @IsIn(AWAITING_PARTNER_REASONS, { message: `reason must be one of ${AWAITING_PARTNER_REASONS.join(', ')}` })
  reason!: AwaitingPartnerReason;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) summary!: string;
  @ApiPropertyOptional({ enum: UPDATE_CHANNELS, default: 'email' })
  @IsOptional()
  @IsIn(UPDATE_CHANNELS, { message: 'channel must be one of email, phone, portal' })
  channel?: UpdateChannel;
}

/** POST /v1/cases/{id}/partner-replies. */
export class PartnerReplyDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) summary!: string;
}

/** POST /v1/cases/{id}/closure takes an empty object. */
export class EmptyDto {}
