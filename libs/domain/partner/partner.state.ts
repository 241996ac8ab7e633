import { ProgrammeContract } from './programme-contract';

/** null until the partner's first binding: the stream does not exist. */
export type PartnerState = {
  readonly partnerId: string;
  readonly contract: ProgrammeContract;
  readonly boundAt: string;
} | null;
