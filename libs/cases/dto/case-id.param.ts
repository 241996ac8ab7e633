import { Matches } from 'class-validator';

/**
 * A case id in a path. Any id-like value is accepted here: one that names no case is a 404 like
 * any unknown case (a 400 would tell a caller something about ids that a 404 does not).
 */
export class CaseIdParam {
  @Matches(/^[A-Za-z0-9-]{1,100}$/, { message: 'id must be a case id' })
  id!: string;
}
