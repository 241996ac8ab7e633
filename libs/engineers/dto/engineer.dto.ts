import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ENGINEER_AVAILABILITIES } from '../../domain/engineer/engineer.types';
import type { EngineerAvailability } from '../../domain/engineer/engineer.types';
import { IsIanaTimeZone } from '../../platform/validation/is-iana-time-zone';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export class RegisterEngineerDto {
  @ApiPropertyOptional({ description: 'Chosen by the service when absent' })
  // Absent, not null: IsOptional() would let null through, to be stored as the engineer's id.
  @ValidateIf((_, value) => value !== undefined)
  @Matches(ID, { message: 'engineerId must be 1-100 letters, digits, ".", "_", ":" or "-"' })
  engineerId?: string;

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty() @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(320) email!: string;

  @ApiPropertyOptional({ description: 'Absent: this engineer is a manager' })
  @ValidateIf((_, value) => value !== undefined)
  @Matches(ID, { message: 'managerId must be an engineer id' })
  managerId?: string;

  @ApiPropertyOptional({ description: "Who takes this engineer's severity-A calls while it is not on shift" })
  @ValidateIf((_, value) => value !== undefined)
  @Matches(ID, { message: 'backupEngineerId must be an engineer id' })
  backupEngineerId?: string;

  @ApiProperty({ example: 'Europe/Paris' }) @IsIanaTimeZone() timeZone!: string;
}

export class EngineerAvailabilityDto {
  @ApiProperty({ enum: ENGINEER_AVAILABILITIES })
  @IsIn(ENGINEER_AVAILABILITIES, { message: 'status must be one of on-shift, off-shift, away' })
  status!: EngineerAvailability;
}

export class EngineerBackupDto {
  @ApiProperty({ type: String, nullable: true, description: 'A registered engineer other than this one; null: none' })
  // null removes the backup; only a missing field is refused.
  @ValidateIf((_, value) => value !== null)
  @Matches(ID, { message: 'backupEngineerId must be an engineer id or null' })
  backupEngineerId!: string | null;
}
