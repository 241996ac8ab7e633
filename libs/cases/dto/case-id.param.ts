import { IsUUID } from 'class-validator';

export class CaseIdParam {
  @IsUUID('all', { message: 'id must be a case id (a UUID)' })
  id!: string;
}
