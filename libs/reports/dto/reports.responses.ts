import { ApiProperty } from '@nestjs/swagger';

class PercentilesDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Milliseconds' }) median!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Milliseconds' }) p90!: number | null;
}

export class SlaReportRowDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The group value ("all" for the totals; null: none, e.g. no engineer)',
  })
  group!: string | null;
  @ApiProperty() cases!: number;
  @ApiProperty({ description: 'Clocks (a severity restart continues its clock)' }) clocks!: number;
  @ApiProperty({ description: 'Answered before due' }) met!: number;
  @ApiProperty({ description: 'Recorded breached, or running past due now' }) breached!: number;
  @ApiProperty({ description: 'Case resolved or closed before due' }) stopped!: number;
  @ApiProperty({ description: 'Running or paused, not due yet' }) open!: number;
  @ApiProperty({ type: Number, nullable: true, description: '(met + stopped) / (met + stopped + breached) in percent' })
  onTimePct!: number | null;
  @ApiProperty({ description: 'Time clocks stood still waiting on the partner (ms, in their own calendars)' })
  pausedMs!: number;
  @ApiProperty({ type: PercentilesDto }) firstResponseMs!: PercentilesDto;
  @ApiProperty({ type: PercentilesDto }) betweenUpdatesMs!: PercentilesDto;
  @ApiProperty({ type: PercentilesDto }) resolutionMs!: PercentilesDto;
  @ApiProperty() escalations!: number;
}

export class SlaReportDto {
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) to!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['severity', 'partner', 'engineer', 'product', 'month'] })
  groupBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) partnerId!: string | null;
  @ApiProperty({ description: 'Running clocks are judged at this instant' }) asOf!: string;
  @ApiProperty({ type: SlaReportRowDto }) totals!: SlaReportRowDto;
  @ApiProperty({ type: [SlaReportRowDto] }) groups!: SlaReportRowDto[];
}

class OutcomeCountsDto {
  @ApiProperty() clocks!: number;
  @ApiProperty() met!: number;
  @ApiProperty() breached!: number;
  @ApiProperty() stopped!: number;
  @ApiProperty() open!: number;
}

class SeverityCountsDto {
  @ApiProperty({ type: OutcomeCountsDto }) current!: OutcomeCountsDto;
  @ApiProperty({ type: OutcomeCountsDto }) proposed!: OutcomeCountsDto;
}

class BySeverityDto {
  @ApiProperty({ type: SeverityCountsDto }) A!: SeverityCountsDto;
  @ApiProperty({ type: SeverityCountsDto }) B!: SeverityCountsDto;
  @ApiProperty({ type: SeverityCountsDto }) C!: SeverityCountsDto;
}

class ClockSideDto {
  @ApiProperty({ enum: ['A', 'B', 'C'] }) severity!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ enum: ['met', 'breached', 'stopped', 'open'] }) outcome!: string;
}

class WhatIfChangeDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() reference!: string;
  @ApiProperty() partnerId!: string;
  @ApiProperty({ description: 'The first clockId of the clock (restarts continue it)' }) clockId!: string;
  @ApiProperty({ enum: ['initialResponse', 'nextUpdate'] }) clock!: string;
  @ApiProperty({ enum: ['newly-breached', 'no-longer-breached'] }) change!: string;
  @ApiProperty({ type: ClockSideDto }) current!: ClockSideDto;
  @ApiProperty({ type: ClockSideDto }) proposed!: ClockSideDto;
}

class CountPairDto {
  @ApiProperty() clocks!: number;
  @ApiProperty() cases!: number;
}

class MismatchDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() clockId!: string;
  @ApiProperty() recorded!: boolean;
  @ApiProperty() replayed!: boolean;
}

class AgreementDto {
  @ApiProperty() recordedBreaches!: number;
  @ApiProperty() replayedBreaches!: number;
  @ApiProperty({
    description: 'Past due with no later event of their case: the live system records them when the timer fires',
  })
  pendingTimers!: number;
  @ApiProperty() mismatchCount!: number;
  @ApiProperty({ type: [MismatchDto] }) mismatches!: MismatchDto[];
}

class PolicyRefDto {
  @ApiProperty() version!: string;
  @ApiProperty() hash!: string;
}

export class WhatIfResultDto {
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: PolicyRefDto }) proposedPolicy!: PolicyRefDto;
  @ApiProperty() cases!: number;
  @ApiProperty() casesSkipped!: number;
  @ApiProperty({ type: OutcomeCountsDto, description: "Replayed under each case's own policy" })
  current!: OutcomeCountsDto;
  @ApiProperty({ type: OutcomeCountsDto }) proposed!: OutcomeCountsDto;
  @ApiProperty({ type: BySeverityDto, description: "By each side's clock severity" }) bySeverity!: BySeverityDto;
  @ApiProperty({ type: CountPairDto }) newlyBreached!: CountPairDto;
  @ApiProperty({ type: CountPairDto }) noLongerBreached!: CountPairDto;
  @ApiProperty({ type: [WhatIfChangeDto] }) changes!: WhatIfChangeDto[];
  @ApiProperty() changesTruncated!: boolean;
  @ApiProperty({
    type: AgreementDto,
    description: "The replay under each case's own policy against the recorded breaches",
  })
  agreement!: AgreementDto;
}
