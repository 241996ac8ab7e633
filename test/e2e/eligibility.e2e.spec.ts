import type { EventStore } from '../../libs/event-store/event-store';
import { partnerStreamId } from '../../libs/events/streams';
import { EVENT_STORE } from '../../libs/platform/tokens';
import { startTestService, TestResponse, TestService } from '../support/test-service';
import { caseBody, expectProblem, getCase, history, totalEvents, types, unique } from '../support/case-fixtures';
import { waitUntil } from '../support/case-requests';

/** Issue 13, item 6: eligibility as the source states it, over HTTP. */
const CONTRACT = { accessId: 'SCS4F7Q2K9', contractId: '7205118' };
const azure = (contract: { accessId: string; contractId: string } = CONTRACT) => ({
  subscriptionId: 'sub-1',
  ...contract,
});
const CRM = { office365SignIn: 'admin@contoso.onmicrosoft.com', subscriptionId: 'crm-sub-1' };

const post = (service: TestService, overrides: Record<string, unknown>, key: 'support' | 'partner' = 'support') =>
  service.request('POST', '/v1/cases', { key, body: caseBody(overrides) });

const partnerStream = (service: TestService, partnerId: string) =>
  service.service.app.get<symbol, EventStore>(EVENT_STORE, { strict: false }).readStream(partnerStreamId(partnerId));

function expectRejected(response: TestResponse, reason: string): void {
  expect(response.status).toBe(201);
  expect(response.body).toMatchObject({ status: 'rejected', rejectionReason: reason });
}

describe('eligibility over HTTP (embedded store)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  describe('Azure on behalf of a customer', () => {
    it('a co-administrator who is the partner of record opens the case; the history records partnerOfRecord', async () => {
      const response = await post(service, {
        partnerId: `p-${unique()}`,
        product: 'azure',
        azure: azure(),
        customerId: 'c-fabrikam',
        submitterRole: 'co-admin',
        partnerOfRecord: true,
      });
      expect(response.status).toBe(201);
      expect(response.body.status).toBe('open');
      const [submitted] = await history(service, response.body.caseId);
      expect(submitted.data).toMatchObject({
        submitterRole: 'co-admin',
        customerId: 'c-fabrikam',
        partnerOfRecord: true,
      });
      // Staff see the eligibility facts on the case.
      const view = await service.request('GET', `/v1/cases/${response.body.caseId}`, { key: 'support' });
      expect(view.body).toMatchObject({ azure: azure(), partnerOfRecord: true, crmOnline: null });
    });

    it.each(['admin', 'co-admin'])(
      'a %s that is not the partner of record is rejected as not-partner-of-record, with the reason',
      async (submitterRole) => {
        const response = await post(service, {
          partnerId: `p-${unique()}`,
          product: 'azure',
          azure: azure(),
          customerId: 'c-fabrikam',
          submitterRole,
        });
        expectRejected(response, 'not-partner-of-record');
        const entries = await history(service, response.body.caseId);
        expect(types(entries)).toEqual(['CaseSubmitted', 'CaseRejected']);
        expect(entries[0].data.partnerOfRecord).toBe(false);
        expect(entries[1].data.message).toMatch(/partner of record/);
      },
    );

    it('write rights (owner) on the customer subscription open the case without partner of record', async () => {
      const response = await post(service, {
        partnerId: `p-${unique()}`,
        product: 'azure',
        azure: azure(),
        customerId: 'c-fabrikam',
        submitterRole: 'owner',
      });
      expect(response.body.status).toBe('open');
    });

    it('partnerOfRecord that is not a boolean is a 400 naming the field, and writes nothing', async () => {
      const before = await totalEvents(service);
      const response = await post(service, { product: 'azure', azure: azure(), partnerOfRecord: 'yes' });
      expectProblem(response, 400, ['partnerOfRecord']);
      expect(await totalEvents(service)).toBe(before);
    });
  });

  describe('Azure access ID and contract ID shapes', () => {
    it.each([
      ['an access ID with a dash', { accessId: 'acc-1', contractId: '7205118' }, 'azure-access-id-malformed'],
      ['a short access ID', { accessId: 'AB12', contractId: '7205118' }, 'azure-access-id-malformed'],
      ['a contract ID with letters', { accessId: 'SCS4F7Q2K9', contractId: 'ct-1' }, 'azure-contract-id-malformed'],
      ['a short contract ID', { accessId: 'SCS4F7Q2K9', contractId: '12345' }, 'azure-contract-id-malformed'],
    ])('%s is rejected with its reason and binds nothing', async (_name, contract, reason) => {
      const partnerId = `p-${unique()}`;
      const response = await post(service, { partnerId, product: 'azure', azure: azure(contract) });
      expectRejected(response, reason);
      expect(await partnerStream(service, partnerId)).toEqual([]);
    });
  });

  describe('the programme contract is bound to the partner on first use', () => {
    it('first use binds; the same contract again opens; another contract is refused (409, the reason) and writes nothing', async () => {
      const partnerId = `p-${unique()}`;
      const first = await post(service, { partnerId, product: 'azure', azure: azure() });
      expect(first.body.status).toBe('open');
      const bound = await partnerStream(service, partnerId);
      expect(bound.map((e) => [e.type, e.data])).toEqual([
        [
          'PartnerContractBound',
          { partnerId, ...CONTRACT, caseId: first.body.caseId, by: 'support-1', at: expect.any(String) },
        ],
      ]);

      const again = await post(service, { partnerId, product: 'azure', azure: azure() });
      expect(again.body.status).toBe('open');
      expect(await partnerStream(service, partnerId)).toHaveLength(1);

      const before = await totalEvents(service);
      const other = await post(service, {
        partnerId,
        product: 'azure',
        azure: azure({ accessId: CONTRACT.accessId, contractId: '8000001' }),
      });
      expectProblem(other, 409);
      expect(other.body).toMatchObject({
        reason: 'contract-not-bound-to-partner',
        detail: `partner ${partnerId} is bound to programme contract 7205118 (its first use); this request names contract 8000001`,
      });
      const otherAccess = await post(service, {
        partnerId,
        product: 'azure',
        azure: azure({ accessId: 'OTHER0001', contractId: CONTRACT.contractId }),
      });
      expectProblem(otherAccess, 409);
      expect(otherAccess.body.reason).toBe('contract-not-bound-to-partner');
      expect(await totalEvents(service)).toBe(before);
    });

    it('the binding holds for the partner key too, and other partners are not affected', async () => {
      // p-contoso's first Azure repair in this file.
      const first = await post(service, { partnerId: 'p-contoso', product: 'azure', azure: azure() }, 'partner');
      expect(first.body.status).toBe('open');
      const bound = (await partnerStream(service, 'p-contoso'))[0];
      expect(bound.data).toMatchObject({ ...CONTRACT, by: 'portal-contoso' });
      const mismatch = await post(
        service,
        { partnerId: 'p-contoso', product: 'azure', azure: azure({ accessId: 'NEWACCESS1', contractId: '5550001' }) },
        'partner',
      );
      expectProblem(mismatch, 409);
      expect(mismatch.body.detail).toContain(`bound to programme contract ${CONTRACT.contractId}`);
      const fresh = await post(service, {
        partnerId: `p-${unique()}`,
        product: 'azure',
        azure: azure({ accessId: 'NEWACCESS1', contractId: '5550001' }),
      });
      expect(fresh.body.status).toBe('open');
    });

    it('a submission that does not open a case (rejected, routed) binds nothing: a later one may bind another contract', async () => {
      const partnerId = `p-${unique()}`;
      expectRejected(
        await post(service, { partnerId, product: 'azure', azure: azure(), submitterRole: 'user' }),
        'submitter-role-not-eligible',
      );
      const routed = await post(service, { partnerId, product: 'azure', azure: azure(), requestType: 'billing' });
      expect(routed.body.status).toBe('routed');
      expect(await partnerStream(service, partnerId)).toEqual([]);
      const opened = await post(service, {
        partnerId,
        product: 'azure',
        azure: azure({ accessId: 'SECOND0001', contractId: '6660001' }),
      });
      expect(opened.body.status).toBe('open');
      expect((await partnerStream(service, partnerId)).map((e) => e.data.contractId)).toEqual(['6660001']);
    });

    it('a retried submission (same Idempotency-Key) gets the same case and binds once', async () => {
      const partnerId = `p-${unique()}`;
      const headers = { 'idempotency-key': `idem-${unique()}` };
      const body = caseBody({ partnerId, product: 'azure', azure: azure() });
      const [a, b] = [
        await service.request('POST', '/v1/cases', { body, headers }),
        await service.request('POST', '/v1/cases', { body, headers }),
      ];
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.caseId).toBe(a.body.caseId);
      expect(await partnerStream(service, partnerId)).toHaveLength(1);
    });
  });

  describe('CRM Online conditions', () => {
    it('an Office 365 sign-in and a CRM Online subscription open the case; both are recorded', async () => {
      const response = await post(service, { product: 'crm-online', crmOnline: CRM });
      expect(response.body.status).toBe('open');
      const [submitted] = await history(service, response.body.caseId);
      expect(submitted.data.crmOnline).toEqual(CRM);
      const view = await service.request('GET', `/v1/cases/${response.body.caseId}`, { key: 'support' });
      expect(view.body).toMatchObject({ crmOnline: CRM, azure: null, partnerOfRecord: false });
    });

    it.each([
      ['without any condition', {}, 'crm-office365-sign-in-missing'],
      [
        'without the Office 365 sign-in',
        { crmOnline: { subscriptionId: 'crm-sub-1' } },
        'crm-office365-sign-in-missing',
      ],
      [
        'with a sign-in that is no sign-in name',
        { crmOnline: { ...CRM, office365SignIn: 'admin' } },
        'crm-office365-sign-in-malformed',
      ],
      [
        'without the CRM Online subscription',
        { crmOnline: { office365SignIn: CRM.office365SignIn } },
        'crm-online-subscription-missing',
      ],
    ])('a submission %s is rejected with its reason', async (_name, overrides, reason) => {
      const response = await post(service, { product: 'crm-online', ...overrides });
      expectRejected(response, reason);
      expect(await getCase(service, response.body.caseId)).toMatchObject({
        status: 'rejected',
        rejectionReason: reason,
      });
    });

    it('crmOnline with unknown fields or non-strings is a 400 naming the field', async () => {
      expectProblem(await post(service, { product: 'crm-online', crmOnline: { ...CRM, extra: 1 } }), 400);
      expectProblem(await post(service, { product: 'crm-online', crmOnline: { ...CRM, subscriptionId: 7 } }), 400, [
        'crmOnline.subscriptionId',
      ]);
    });
  });
});

describe.each(['embedded', 'postgres'] as const)('concurrent first uses of two contracts (%s store)', (store) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ store });
  });
  afterAll(() => service.close());

  it('exactly one wins, the other is refused with the reason and writes nothing (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const partnerId = `p-race-${unique()}`;
      const before = await totalEvents(service);
      const contracts = [
        { accessId: 'RACEACCESS1', contractId: '1000001' },
        { accessId: 'RACEACCESS2', contractId: '2000002' },
      ];
      const answers = await Promise.all(
        contracts.map((contract) => post(service, { partnerId, product: 'azure', azure: azure(contract) })),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect({ round, statuses }).toEqual({ round, statuses: [201, 409] });
      const winner = answers.findIndex((a) => a.status === 201);
      const loser = answers[1 - winner];
      expect(answers[winner].body.status).toBe('open');
      expect(loser.body.reason).toBe('contract-not-bound-to-partner');
      expect(loser.body.detail).toContain(`bound to programme contract ${contracts[winner].contractId}`);
      const bound = await partnerStream(service, partnerId);
      expect(bound.map((e) => [e.data.contractId, e.data.caseId])).toEqual([
        [contracts[winner].contractId, answers[winner].body.caseId],
      ]);
      // The partner has one case, the winner's (read once the list has caught up with it).
      const list = await service.request(
        'GET',
        `/v1/cases?partnerId=${partnerId}&consistentWith=${answers[winner].body.position}`,
      );
      expect(list.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([answers[winner].body.caseId]);
      // The winner's reference, its three case events and the binding; nothing of the loser. (The
      // store's global order shows a commit once no older transaction runs: wait for it to show.)
      const total = await waitUntil(
        () => totalEvents(service),
        (count) => count >= before + 5,
      );
      expect(total).toBe(before + 5);
    }
  });
});
