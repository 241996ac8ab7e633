import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'contact.email' }) field!: string;
  @ApiProperty({ example: 'contact.email must be an e-mail address' }) message!: string;
}

/** RFC 9457 problem details (libs/platform/http/problem.ts): the body of every error response. */
export class ProblemDto {
  @ApiProperty({
    example: 'https://casetrail.dev/problems/invalid-request',
    description: 'Identifies the kind of problem',
  })
  type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'contact.email must be an e-mail address' }) detail!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'One entry per refused field (validation problems)' })
  errors?: FieldErrorDto[];
}
