import { ApiProperty } from '@nestjs/swagger';
import { ENGINEER_AVAILABILITIES } from '../../domain/engineer/engineer.types';

const POSITION = {
  type: String,
  nullable: true,
  example: '1042',
  description: 'The global position of the last event written: `consistentWith` for list reads',
} as const;

export class OpenCasesDto {
  @ApiProperty({ type: Number }) A!: number;
  @ApiProperty({ type: Number }) B!: number;
  @ApiProperty({ type: Number }) C!: number;
  @ApiProperty({ type: Number, description: 'Open cases without a severity yet' }) unassessed!: number;
}

/** An engineer as GET /v1/engineers lists them (engineers.query.ts). */
export class EngineerViewDto {
  @ApiProperty({ type: String, example: 'e-ada' }) engineerId!: string;
  @ApiProperty({ type: String }) name!: string;
  @ApiProperty({ type: String, format: 'email' }) email!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null: this engineer is a manager' }) managerId!:
    string | null;
  @ApiProperty({ type: String, example: 'Europe/Paris' }) timeZone!: string;
  @ApiProperty({ enum: ENGINEER_AVAILABILITIES }) availability!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Who takes its severity-A calls while it is not on shift' })
  backupEngineerId!: string | null;
  @ApiProperty({ type: OpenCasesDto }) openCases!: OpenCasesDto;
  @ApiProperty({ type: String, format: 'date-time' }) registeredAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class EngineerListDto {
  @ApiProperty({ type: [EngineerViewDto] }) items!: EngineerViewDto[];
}

export class RegisterEngineerResultDto {
  @ApiProperty({ type: String }) engineerId!: string;
  @ApiProperty({ type: Number }) revision!: number;
  @ApiProperty(POSITION) position!: string | null;
}

export class EngineerAvailabilityResultDto {
  @ApiProperty({ type: String }) engineerId!: string;
  @ApiProperty({ enum: ENGINEER_AVAILABILITIES }) availability!: string;
  @ApiProperty({ type: Number }) revision!: number;
  @ApiProperty(POSITION) position!: string | null;
}

export class EngineerBackupResultDto {
  @ApiProperty({ type: String }) engineerId!: string;
  @ApiProperty({ type: String, nullable: true }) backupEngineerId!: string | null;
  @ApiProperty({ type: Number }) revision!: number;
  @ApiProperty(POSITION) position!: string | null;
}
