import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export class CallIdParam {
  @ApiProperty({ description: 'The queued call (callId of the call answer)', pattern: '^[A-Za-z0-9-]{1,100}$' })
  @Matches(/^[A-Za-z0-9-]{1,100}$/, { message: 'callId must be a call id' })
  callId!: string;
}

export class TakeCallDto {
  @ApiProperty({ description: 'The engineer who takes the call', example: 'e-ada' })
  @Matches(ID, { message: 'engineerId must be an engineer id' })
  engineerId!: string;
}

export class QueuedCallDto {
  @ApiProperty({ type: String }) callId!: string;
  @ApiProperty({ type: String }) caseId!: string;
  @ApiProperty({ type: String, example: 'SR-20261123-0001' }) reference!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['B', 'C'], description: 'null: not assessed yet' })
  severity!: string | null;
  @ApiProperty({ type: String }) caller!: string;
  @ApiProperty({ type: String }) queuedBy!: string;
  @ApiProperty({ type: String, format: 'date-time' }) queuedAt!: string;
  @ApiProperty({ type: Number, description: 'Seconds waited so far' }) waitingSeconds!: number;
}

export class CallQueueDto {
  @ApiProperty({ type: [QueuedCallDto], description: 'Calls waiting for an engineer, oldest first' })
  items!: QueuedCallDto[];
}

export class TakeCallResultDto {
  @ApiProperty({ type: String }) callId!: string;
  @ApiProperty({ type: String }) caseId!: string;
  @ApiProperty({ type: String }) engineerId!: string;
  @ApiProperty({ type: Number, description: 'Seconds the call waited in the queue' }) waitedSeconds!: number;
  @ApiProperty({ type: Number, description: 'The revision of the case after the command' }) revision!: number;
  @ApiProperty({ type: String, nullable: true, example: '1042' }) position!: string | null;
}
