import { ProgrammeContract } from './programme-contract';

type Command<T extends string, D extends object> = { readonly type: T; readonly data: D };

/** Use `contract` for `caseId`: binds it on first use, refuses another contract afterwards. */
export type UseProgrammeContract = Command<
  'UseProgrammeContract',
  { readonly partnerId: string; readonly contract: ProgrammeContract; readonly caseId: string; readonly by: string }
>;

export type PartnerCommand = UseProgrammeContract;
