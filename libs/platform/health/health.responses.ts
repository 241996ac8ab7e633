import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DependencyHealthDto {
  @ApiPropertyOptional({ type: String, example: 'embedded' }) kind?: string;
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
  @ApiPropertyOptional({ type: String, description: 'Why it is down' }) detail?: string;
  @ApiPropertyOptional({ type: Number }) latencyMs?: number;
}

export class HealthDependenciesDto {
  @ApiProperty({ type: DependencyHealthDto }) eventStore!: DependencyHealthDto;
  @ApiProperty({ type: DependencyHealthDto }) readModels!: DependencyHealthDto;
  @ApiProperty({ type: DependencyHealthDto }) redis!: DependencyHealthDto;
}

export class BackgroundThreadDto {
  @ApiProperty({ enum: ['running', 'restarting'] }) status!: string;
  @ApiProperty({ type: Number }) restarts!: number;
  @ApiProperty({ type: String, format: 'date-time' }) since!: string;
  @ApiPropertyOptional({ type: String }) lastError?: string;
}

/** GET /health (200 ok, 503 degraded: the same body). */
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: string;
  @ApiProperty({ enum: ['all', 'api', 'worker'] }) role!: string;
  @ApiProperty({ type: HealthDependenciesDto }) dependencies!: HealthDependenciesDto;
  @ApiPropertyOptional({ type: BackgroundThreadDto, description: 'Role all: the background thread' }) backgroundThread?: BackgroundThreadDto;
}
