import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RebuildStatusDto {
  @ApiProperty({ enum: ['running', 'done', 'failed'] }) state!: string;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'phase, events applied, rate',
  })
  progress!: Record<string, unknown> | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'When done: events, checkpoints, duration',
  })
  result?: Record<string, unknown>;
  @ApiPropertyOptional({ type: String }) error?: string;
}

export class ProjectionStatusDto {
  @ApiProperty({ type: String, example: 'cases' }) name!: string;
  @ApiProperty({ type: String, nullable: true }) checkpoint!: string | null;
  @ApiProperty({ type: String, nullable: true }) position!: string | null;
  @ApiProperty({ type: Number }) eventsApplied!: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: RebuildStatusDto, nullable: true }) rebuild!: RebuildStatusDto | null;
}

export class ProjectionStatusListDto {
  @ApiProperty({ type: [ProjectionStatusDto] }) items!: ProjectionStatusDto[];
}

export class RebuildStartedDto {
  @ApiProperty({ type: String }) projection!: string;
  @ApiProperty({ enum: ['running'] }) state!: string;
  @ApiProperty({ type: String, example: '/v1/admin/projections', description: 'Where its progress shows' })
  status!: string;
}
