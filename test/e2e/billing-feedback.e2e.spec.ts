import type { EventStore } from '../../libs/event-store/event-store';
import { EVENT_STORE } from '../../libs/platform/tokens';
import { startTestService, TestService } from '../support/test-service';
import { waitUntil } from '../support/case-requests';
import { TestSmtpServer } from '../support/test-smtp-server';
import {
  command,
  expectAnswerMatchesHistory,
  expectHistoryUnchanged,
  expectProblem,
  getCase,
  snapshot,
  submitCase,
  unique,
} from '../support/case-fixtures';

const ADDRESS = 'billing-feedback@vendor.example';
const ROUTE = 'billing-escalation';

/**
 * The billing path over HTTP (docs/domain.md, Intake): a billing question is routed to the billing
 * team; when that does not settle it, the partner (or staff) escalate it once to the feedback
 * address of the configuration (BILLING_FEEDBACK_ADDRESS), and the event records where it went.
 */
describe('billing cases escalated to the feedback address (embedded store)', () => {
  let service: TestService;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    service = await startTestService({ env: { BILLING_FEEDBACK_ADDRESS: ADDRESS, SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await service?.close();
    await smtp?.close();
  });

  const billingCase = async () => {
    const { caseId, body } = await submitCase(service, { requestType: 'billing' }, 'partner');
    expect(body).toMatchObject({ status: 'routed', routedTo: 'billing' });
    return caseId;
  };

  it('the partner escalates its routed billing case: 201 with the address; the event records address, reason, by and at', async () => {
    const caseId = await billingCase();
    const response = await command(
      service,
      caseId,
      ROUTE,
      { reason: 'the billing team has not corrected the invoice' },
      { key: 'partner', status: 201 },
    );
    expect(response.body).toEqual({
      caseId,
      address: ADDRESS,
      at: expect.any(String),
      revision: expect.any(Number),
      position: expect.any(String),
    });
    const entries = await expectAnswerMatchesHistory(service, response, caseId);
    expect(entries[entries.length - 1]).toMatchObject({
      type: 'EscalatedToBillingFeedback',
      data: {
        caseId,
        address: ADDRESS,
        reason: 'the billing team has not corrected the invoice',
        by: 'portal-contoso',
        at: response.body.at,
      },
      metadata: { actor: 'portal-contoso', actorRole: 'partner' },
    });
    expect(await getCase(service, caseId, 'partner')).toMatchObject({
      status: 'routed',
      routedTo: 'billing',
      billingFeedback: {
        address: ADDRESS,
        reason: 'the billing team has not corrected the invoice',
        by: 'portal-contoso',
        at: response.body.at,
      },
    });
  });

  it('the escalation is mailed to the feedback address over SMTP, with the Message-ID of its event', async () => {
    const caseId = await billingCase();
    await command(service, caseId, ROUTE, { reason: 'wrong VAT rate' }, { key: 'partner', status: 201 });
    const store = service.service.app.get<EventStore>(EVENT_STORE);
    const event = (await store.readStream(`case-${caseId}`)).find((e) => e.type === 'EscalatedToBillingFeedback');
    const mails = await waitUntil(
      async () => smtp.acceptedFor(caseId).filter((m) => m.envelopeTo.includes(ADDRESS)),
      (found) => found.length >= 1,
      30_000,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ messageId: `<${event!.id}@casetrail>` });
    expect(mails[0].subject).toMatch(/Billing case escalated to billing feedback$/);
    expect(mails[0].text).toContain('Reason: wrong VAT rate');
  });

  it('a second escalation is refused (409, naming the first), by staff as by the partner; nothing written', async () => {
    const caseId = await billingCase();
    await command(service, caseId, ROUTE, { reason: 'first' }, { key: 'partner', status: 201 });
    const before = await snapshot(service, caseId);
    for (const key of ['partner', 'support'] as const) {
      const again = await service.request('POST', `/v1/cases/${caseId}/${ROUTE}`, { key, body: { reason: 'again' } });
      expectProblem(again, 409);
      expect(again.body.detail).toMatch(`already escalated to the billing feedback address ${ADDRESS}`);
    }
    await expectHistoryUnchanged(service, caseId, before);
  });

  it('staff may escalate a billing case too', async () => {
    const caseId = await billingCase();
    const response = await command(service, caseId, ROUTE, { reason: 'partner called' }, { status: 201 });
    expect(response.body.address).toBe(ADDRESS);
    expect((await getCase(service, caseId)).billingFeedback).toMatchObject({ by: 'support-1' });
  });

  it.each([
    ['an open repair case', {}, /case .* is open$/],
    ['a pre-sales case', { requestType: 'presales' }, /is routed \(routed to the pre-sales team\)/],
    ['a rejected case', { submitterRole: 'user' }, /is rejected/],
  ])('%s is not a billing case: 409, nothing written', async (_what, overrides, detail) => {
    const { caseId } = await submitCase(service, overrides, 'partner');
    const before = await snapshot(service, caseId);
    const response = await service.request('POST', `/v1/cases/${caseId}/${ROUTE}`, {
      key: 'partner',
      body: { reason: 'x' },
    });
    expectProblem(response, 409);
    expect(response.body.detail).toMatch(/only a case routed to the billing team/);
    expect(response.body.detail).toMatch(detail);
    await expectHistoryUnchanged(service, caseId, before);
  });

  it("another partner's billing case is a 404; customers, auditors and ops may not (403); nothing written", async () => {
    const caseId = await billingCase();
    const before = await snapshot(service, caseId);
    expectProblem(
      await service.request('POST', `/v1/cases/${caseId}/${ROUTE}`, { key: 'otherPartner', body: { reason: 'x' } }),
      404,
    );
    for (const key of ['customer', 'auditor', 'ops'] as const) {
      const response = await service.request('POST', `/v1/cases/${caseId}/${ROUTE}`, { key, body: { reason: 'x' } });
      expect({ key, status: response.status }).toEqual({ key, status: 403 });
    }
    expectProblem(await service.request('POST', `/v1/cases/${caseId}/${ROUTE}`, { key: 'partner', body: {} }), 400, [
      'reason',
    ]);
    await expectHistoryUnchanged(service, caseId, before);
  });

  it('an Idempotency-Key retry answers the first answer (no second event, no 409)', async () => {
    const caseId = await billingCase();
    const headers = { 'idempotency-key': `billing-${unique()}` };
    const first = await command(service, caseId, ROUTE, { reason: 'once' }, { key: 'partner', status: 201, headers });
    const retry = await command(service, caseId, ROUTE, { reason: 'once' }, { key: 'partner', status: 201, headers });
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('billing escalation without a configured feedback address', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service?.close());

  it('is refused with 409 naming BILLING_FEEDBACK_ADDRESS (a lasting state, not an outage); nothing written', async () => {
    const { caseId } = await submitCase(service, { requestType: 'billing' }, 'partner');
    const before = await snapshot(service, caseId);
    const response = await service.request('POST', `/v1/cases/${caseId}/${ROUTE}`, {
      key: 'partner',
      body: { reason: 'x' },
    });
    expectProblem(response, 409);
    expect(response.body.detail).toMatch(/no billing feedback address is configured \(BILLING_FEEDBACK_ADDRESS\)/);
    await expectHistoryUnchanged(service, caseId, before);
  });
});
