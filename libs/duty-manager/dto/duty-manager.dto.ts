import { ApiProperty } from '@nestjs/swagger';
import { Matches, ValidateIf } from 'class-validator';

export class SetDutyManagerDto {
  @ApiProperty({ type: String, nullable: true, description: 'A registered manager; null: nobody on duty' })
  // null is an answer here (nobody on duty); only a missing field is refused.
  @ValidateIf((_, value) => value !== null)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, { message: 'engineerId must be an engineer id or null' })
  engineerId!: string | null;
}

export class DutyManagerDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The duty manager; null: nobody on duty (escalations say unowned)',
  })
  engineerId!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Since when; null: never set' })
  since!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Who set it' }) by!: string | null;
  @ApiProperty({ type: Number, description: 'The revision of the duty-manager stream (-1: never set)' })
  revision!: number;
}

export class DutyManagerResultDto extends DutyManagerDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '1042',
    description: 'The global position of the last event written',
  })
  position!: string | null;
}
