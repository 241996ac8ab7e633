import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class EngineerIdParam {
  @ApiProperty({ description: 'The engineer id', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$', example: 'e-ada' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, { message: 'engineerId must be an engineer id' })
  engineerId!: string;
}
