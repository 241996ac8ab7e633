import { spec } from '../shared/given-when-then';
import { IllegalStateError } from '../shared/domain-errors';
import { PartnerContractBound } from './partner.events';
import { partnerDecider } from './partner.decider';
import { UseProgrammeContract } from './partner.commands';

const NOW = '2026-12-06T10:00:00.000Z';
const CONTRACT = { accessId: 'SCS4F7Q2K9', contractId: '7205118' };
const use = (contract = CONTRACT, caseId = 'case-2'): UseProgrammeContract => ({
  type: 'UseProgrammeContract',
  data: { partnerId: 'p-contoso', contract, caseId, by: 'partner-1' },
});
const bound = (contract = CONTRACT): PartnerContractBound => ({
  type: 'PartnerContractBound',
  data: { partnerId: 'p-contoso', ...contract, caseId: 'case-1', by: 'partner-1', at: '2026-12-01T09:00:00.000Z' },
});
const given = (events: PartnerContractBound[]) => spec(partnerDecider, { now: NOW }).given(events);

describe('partner decider: the programme contract is bound on first use', () => {
  it('given no binding, when a contract is used, then it is bound to the partner (with the case that used it)', () => {
    given([])
      .when(use())
      .then([
        {
          type: 'PartnerContractBound',
          data: { partnerId: 'p-contoso', ...CONTRACT, caseId: 'case-2', by: 'partner-1', at: NOW },
        },
      ]);
  });

  it('given the same contract bound, when it is used again, then nothing is recorded', () => {
    given([bound()]).when(use()).thenNothing();
  });

  it('given a binding, when another contract is used, then it is refused with the reason', () => {
    given([bound()])
      .when(use({ accessId: CONTRACT.accessId, contractId: '8000001' }))
      .thenThrows(
        IllegalStateError,
        'partner p-contoso is bound to programme contract 7205118 (its first use); this request names contract 8000001',
      );
  });

  it('given a binding, when the contract is used with another access ID, then it is refused', () => {
    given([bound()])
      .when(use({ accessId: 'OTHER0001', contractId: CONTRACT.contractId }))
      .thenThrows(IllegalStateError, /another access ID/);
  });

  it('the first binding stands when folding', () => {
    const state = [bound(), bound({ accessId: 'OTHER0001', contractId: '8000001' })].reduce(
      partnerDecider.evolve,
      partnerDecider.initialState(),
    );
    expect(state).toEqual({ partnerId: 'p-contoso', contract: CONTRACT, boundAt: '2026-12-01T09:00:00.000Z' });
  });
});
