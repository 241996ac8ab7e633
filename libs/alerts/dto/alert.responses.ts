import { ApiProperty } from '@nestjs/swagger';
import { ALERT_KINDS } from '../../projections/read-models/alerts.projection';

const KINDS = [...ALERT_KINDS];
const nullableText = { type: String, nullable: true } as const;

/** An SLA alert, as the feed, the stream and the webhooks show it (alerts.projection.ts alertOf). */
export class AlertDto {
  @ApiProperty({ type: String }) alertId!: string;
  @ApiProperty({ enum: KINDS }) kind!: string;
  @ApiProperty({ type: String, example: 'SlaBreached' }) eventType!: string;
  @ApiProperty({ type: String }) caseId!: string;
  @ApiProperty(nullableText) reference!: string | null;
  @ApiProperty(nullableText) severity!: string | null;
  @ApiProperty(nullableText) clockId!: string | null;
  @ApiProperty(nullableText) clock!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiProperty(nullableText) engineerId!: string | null;
  @ApiProperty(nullableText) managerId!: string | null;
  @ApiProperty(nullableText) reason!: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'true: raised by a timer, not by a person' }) automatic!:
    boolean | null;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: String }) position!: string;
}

export class AlertListDto {
  @ApiProperty({ type: [AlertDto] }) items!: AlertDto[];
}
