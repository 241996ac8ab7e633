import { Decider, DecideContext } from '../shared/decider';
import { IllegalStateError } from '../shared/domain-errors';
import { PartnerCommand } from './partner.commands';
import { PARTNER_EVENT_TYPES, PartnerEvent } from './partner.events';
import { PartnerState } from './partner.state';
import { CONTRACT_NOT_BOUND_TO_PARTNER, contractConflict } from './programme-contract';

/**
 * The partner's own stream holds its programme contract binding. Two first uses racing with
 * different contracts both decide on an empty stream; the store takes one append (expected
 * revision) and the other decides again on the binding and is refused.
 */
export function decidePartner(command: PartnerCommand, state: PartnerState, { now }: DecideContext): PartnerEvent[] {
  const { partnerId, contract, caseId, by } = command.data;
  const conflict = contractConflict(partnerId, state?.contract ?? null, contract);
  if (conflict) throw new IllegalStateError(conflict, { partnerId, reason: CONTRACT_NOT_BOUND_TO_PARTNER });
  // Already bound to this very contract: nothing to record.
  if (state) return [];
  return [{ type: 'PartnerContractBound', data: { partnerId, ...contract, caseId, by, at: now } }];
}

export function evolvePartner(state: PartnerState, event: PartnerEvent): PartnerState {
  switch (event.type) {
    case 'PartnerContractBound': {
      const { partnerId, accessId, contractId, at } = event.data;
      // The first binding stands (the decider never writes a second one).
      return state ?? { partnerId, contract: { accessId, contractId }, boundAt: at };
    }
  }
}

export const partnerDecider: Decider<PartnerCommand, PartnerEvent, PartnerState, DecideContext> = {
  initialState: () => null,
  decide: decidePartner,
  evolve: evolvePartner,
  eventTypes: PARTNER_EVENT_TYPES,
};
