import { DomainEvent } from '../shared/decider';

/**
 * The partner's programme contract, bound on its first use: by the first Azure repair that
 * opened a case with it (`caseId`). `at` is the decision's `now`; `by` the actor.
 */
export type PartnerContractBound = DomainEvent<
  'PartnerContractBound',
  {
    readonly partnerId: string;
    readonly accessId: string;
    readonly contractId: string;
    readonly caseId: string;
    readonly by: string;
    readonly at: string;
  }
>;

export type PartnerEvent = PartnerContractBound;

export const PARTNER_EVENT_TYPES: ReadonlyArray<PartnerEvent['type']> = ['PartnerContractBound'];
