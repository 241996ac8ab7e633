import { Matches } from 'class-validator';

export class EngineerIdParam {
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, { message: 'engineerId must be an engineer id' })
  engineerId!: string;
}
