import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/**
 * A case id in a path. Any id-like value is accepted here: one that names no case is a 404 like
 * any unknown case (a 400 would tell a caller something about ids that a 404 does not).
 */
export class CaseIdParam {
  @ApiProperty({
    description: 'The case id (caseId of POST /v1/cases)',
    pattern: '^[A-Za-z0-9-]{1,100}$',
    example: '0193a0c2-7d1e-7b3a-9c4d-5e6f7a8b9c0d',
  })
  @Matches(/^[A-Za-z0-9-]{1,100}$/, { message: 'id must be a case id' })
  id!: string;
}
