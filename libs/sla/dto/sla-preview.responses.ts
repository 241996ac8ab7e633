import { ApiProperty } from '@nestjs/swagger';

export class PreviewClockDto {
  @ApiProperty({ type: String, format: 'date-time' }) dueAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) warnAt!: string;
}

/** GET /v1/sla/preview (clock-calculator.ts previewClocks). */
export class SlaPreviewDto {
  @ApiProperty({ type: String, example: '2026-11' }) policyVersion!: string;
  @ApiProperty({ type: String, description: 'The hash of the policy content the version is pinned to' })
  policyHash!: string;
  @ApiProperty({ type: PreviewClockDto }) initialResponse!: PreviewClockDto;
  @ApiProperty({ type: PreviewClockDto }) update!: PreviewClockDto;
}
