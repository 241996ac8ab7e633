import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PRODUCTS, SEVERITIES } from '../../domain/case/case.types';
import { IsPosition } from '../../platform/validation/is-position';

const STATUSES = ['open', 'awaiting-partner', 'routed', 'rejected', 'resolved', 'closed'];
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** GET /v1/cases filters (api.md), cursor pagination and read-your-writes. */
export class CaseListQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: string;
  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES, { message: 'severity must be one of A, B, C' })
  severity?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'engineerId must be an engineer id' })
  engineerId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'partnerId must be a partner id' }) partnerId?: string;
  @ApiPropertyOptional({ description: 'The cases submitted on behalf of this customer (a customer key: its own)' })
  @IsOptional()
  @Matches(ID, { message: 'customerId must be a customer id' })
  customerId?: string;
  @ApiPropertyOptional({ enum: PRODUCTS })
  @IsOptional()
  @IsIn(PRODUCTS, { message: `product must be one of ${PRODUCTS.join(', ')}` })
  product?: string;
  @ApiPropertyOptional({ enum: ['at-risk', 'breached'] })
  @IsOptional()
  @IsIn(['at-risk', 'breached'], { message: 'sla must be at-risk or breached' })
  sla?: 'at-risk' | 'breached';
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'false: the triage queue (cases whose severity staff have not decided yet)',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'triaged must be true or false' })
  triaged?: 'true' | 'false';
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ description: 'A command position: wait until the list includes its effect' })
  @IsOptional()
  @IsPosition({ message: 'consistentWith must be a decimal position' })
  consistentWith?: string;
}
