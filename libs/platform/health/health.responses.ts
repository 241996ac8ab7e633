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
  @ApiPropertyOptional({ type: BackgroundThreadDto, description: 'Role all: the background thread' })
  backgroundThread?: BackgroundThreadDto;
}

/** GET /health/live. */
export class LivenessDto {
  @ApiProperty({ enum: ['live', 'shutting down'] }) status!: string;
}

export class ProjectionLagDto {
  @ApiProperty({ type: String, example: 'cases' }) name!: string;
  @ApiProperty({ type: Number, description: 'Seconds behind the store' }) lagSeconds!: number;
}

export class ProjectionsReadinessDto {
  @ApiProperty({ type: Number }) maxLagSeconds!: number;
  @ApiProperty({ type: Boolean, description: 'Whether this process is judged on the lag (it runs projections)' })
  checked!: boolean;
  @ApiPropertyOptional({ type: [ProjectionLagDto] }) items?: ProjectionLagDto[];
  @ApiPropertyOptional({ type: String, description: 'Why the lag could not be read' }) error?: string;
}

export class ReadinessChecksDto extends HealthDependenciesDto {
  @ApiPropertyOptional({ type: BackgroundThreadDto }) backgroundThread?: BackgroundThreadDto;
  @ApiProperty({ type: ProjectionsReadinessDto }) projections!: ProjectionsReadinessDto;
}

/** GET /health/ready (200 ready, 503 not ready: the same body, with `notReady`). */
export class ReadinessDto {
  @ApiProperty({ enum: ['ready', 'not ready'] }) status!: string;
  @ApiProperty({ enum: ['all', 'api', 'worker'] }) role!: string;
  @ApiPropertyOptional({ type: [String], description: 'What is not ready, one line each' }) notReady?: string[];
  @ApiProperty({ type: ReadinessChecksDto }) checks!: ReadinessChecksDto;
}
