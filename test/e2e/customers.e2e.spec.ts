import { FixedClock } from '../../libs/platform/clock/clock';
import { startTestService, TestService } from '../support/test-service';
import {
  caseBody,
  command,
  engineerWithManager,
  everyoneOffShift,
  expectAnswerMatchesHistory,
  expectHistoryUnchanged,
  expectProblem,
  history,
  registerEngineer,
  setAvailability,
  snapshot,
  submitCase,
  totalEvents,
  unique,
} from '../support/case-fixtures';

const UNKNOWN_CASE = '0b7e7a52-5d1e-4f0e-9b6a-3c2d1e0f9a8b';
const FAR_FUTURE = encodeURIComponent('2100-01-01T00:00:00Z');
const MINUTE = 60_000;

/** A case the partner p-contoso (or `key`'s partner) submits on behalf of `customerId`. */
async function customerCase(
  service: TestService,
  customerId: string | null,
  overrides: Record<string, unknown> = {},
  key: 'partner' | 'otherPartner' = 'partner',
) {
  const partnerId = key === 'partner' ? 'p-contoso' : 'p-northwind';
  // Office 365 on behalf of a customer is the delegated administrator's (docs/domain.md, eligibility).
  const onBehalf = customerId ? { customerId, submitterRole: 'delegated-admin' } : {};
  return submitCase(service, { partnerId, ...onBehalf, ...overrides }, key);
}

/**
 * The `customer` role over HTTP (docs/api.md, Authentication and roles): a key bound to a partner
 * and one of its customers reads that customer's cases only (404 for any other, as for a case that
 * does not exist), escalates to the manager only when there is no progress, places a severity-A
 * call on its own severity-A case, and does nothing else (403).
 */
describe('customer keys over HTTP (embedded store)', () => {
  // Monday 7 Dec 2026 10:00 Paris; moved by hand to make a response overdue.
  const clock = new FixedClock(new Date('2026-12-07T09:00:00.000Z'));
  let service: TestService;
  let engineerId: string;
  let managerId: string;
  let own: string;
  let others: Array<[string, string]>;
  beforeAll(async () => {
    service = await startTestService({ clock });
    ({ engineerId, managerId } = await engineerWithManager(service, 'customers'));
    own = (await customerCase(service, 'c-fabrikam', { proposedSeverity: 'B' })).caseId;
    others = [
      ["another customer's of the same partner", (await customerCase(service, 'c-tailspin')).caseId],
      ["the partner's own subscription", (await customerCase(service, null)).caseId],
      [
        'the same customer id under another partner',
        (await customerCase(service, 'c-fabrikam', {}, 'otherPartner')).caseId,
      ],
    ];
  });
  afterAll(() => service?.close());

  describe("a customer key reads its own case and gets 404 for another customer's", () => {
    it.each([
      ['GET', ''],
      ['GET', '/history'],
      ['GET', `/state?asOf=${FAR_FUTURE}`],
    ])('%s /v1/cases/{id}%s', async (method, suffix) => {
      const mine = await service.request(method, `/v1/cases/${own}${suffix}`, { key: 'customer' });
      expect(mine.status).toBe(200);
      const unknown = await service.request(method, `/v1/cases/${UNKNOWN_CASE}${suffix}`, { key: 'customer' });
      expectProblem(unknown, 404);
      for (const [what, caseId] of others) {
        const other = await service.request(method, `/v1/cases/${caseId}${suffix}`, { key: 'customer' });
        // Exactly the answer for a case that does not exist: nothing says it does.
        expect({
          what,
          status: other.status,
          body: { ...other.body, detail: other.body.detail?.replace(caseId, '<id>') },
        }).toEqual({
          what,
          status: 404,
          body: { ...unknown.body, detail: unknown.body.detail.replace(UNKNOWN_CASE, '<id>') },
        });
      }
    });

    it('the case shows as the partner submitted it (the customer and partner it belongs to)', async () => {
      const view = await service.request('GET', `/v1/cases/${own}`, { key: 'customer' });
      expect(view.body).toMatchObject({ caseId: own, partnerId: 'p-contoso', customerId: 'c-fabrikam' });
      // The partner still sees its customers' cases; the other customer of that partner does not.
      expect((await service.request('GET', `/v1/cases/${own}`, { key: 'partner' })).status).toBe(200);
      expectProblem(await service.request('GET', `/v1/cases/${own}`, { key: 'otherCustomer' }), 404);
    });

    it("the list holds its own customer's cases only; asking for another's is an empty page", async () => {
      const last = await snapshot(service, others[others.length - 1][1]);
      const list = await service.request('GET', `/v1/cases?limit=200&consistentWith=${last.lastPosition}`, {
        key: 'customer',
      });
      expect(list.status).toBe(200);
      const ids = list.body.items.map((c: { caseId: string }) => c.caseId);
      expect(ids).toContain(own);
      for (const [, caseId] of others) expect(ids).not.toContain(caseId);
      for (const item of list.body.items)
        expect(item).toMatchObject({ partnerId: 'p-contoso', customerId: 'c-fabrikam' });
      for (const query of ['customerId=c-tailspin', 'partnerId=p-northwind']) {
        const other = await service.request('GET', `/v1/cases?${query}`, { key: 'customer' });
        expect({ query, status: other.status, body: other.body }).toEqual({
          query,
          status: 200,
          body: { items: [], nextCursor: null },
        });
      }
      // A partner may filter its list by customer.
      const partners = await service.request('GET', '/v1/cases?customerId=c-tailspin&limit=200', { key: 'partner' });
      expect(partners.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([others[0][1]]);
    });
  });

  describe('a customer key may do nothing else', () => {
    it.each([
      ['severity', { severity: 'A', reason: 'x' }],
      ['assignment', { engineerId: 'e-nobody' }],
      ['updates', { channel: 'email', summary: 'x' }],
      ['partner-availability', { available24x7: false }],
      ['partner-replies', { summary: 'x' }],
      ['awaiting-partner', { reason: 'information-requested', summary: 'x' }],
      ['resumption', {}],
      ['resolution', { summary: 'x' }],
      ['closure', {}],
      ['reopening', { reason: 'x' }],
      ['billing-escalation', { reason: 'x' }],
    ])('POST /v1/cases/{id}/%s on its own case: 403, nothing written', async (route, body) => {
      const before = await snapshot(service, own);
      const response = await service.request('POST', `/v1/cases/${own}/${route}`, { key: 'customer', body });
      expectProblem(response, 403);
      await expectHistoryUnchanged(service, own, before);
    });

    it('submits nothing and reads no engineers, alerts or reports (403)', async () => {
      const before = await totalEvents(service);
      const submit = await service.request('POST', '/v1/cases', {
        key: 'customer',
        body: caseBody({ customerId: 'c-fabrikam', submitterRole: 'delegated-admin' }),
      });
      expectProblem(submit, 403);
      expect(await totalEvents(service)).toBe(before);
      for (const path of [
        '/v1/engineers',
        '/v1/alerts',
        '/v1/reports/sla',
        '/v1/admin/projections',
        '/metrics',
        '/v1/call-queue',
      ]) {
        const response = await service.request('GET', path, { key: 'customer' });
        expect({ path, status: response.status }).toEqual({ path, status: 403 });
      }
    });

    it.each([
      ['escalations', { reason: 'no answer' }],
      ['severity-a-calls', { caller: 'Fabrikam' }],
    ])("POST /v1/cases/{id}/%s on another customer's case: 404, nothing written", async (route, body) => {
      const [, caseId] = others[0];
      const before = await snapshot(service, caseId);
      const response = await service.request('POST', `/v1/cases/${caseId}/${route}`, {
        key: 'customer',
        body,
        headers: { 'if-match': '"9999"' },
      });
      expectProblem(response, 404);
      expect(response.body).not.toHaveProperty('currentRevision');
      await expectHistoryUnchanged(service, caseId, before);
    });
  });

  describe("escalation to the engineer's manager when there is no progress", () => {
    it('refused (409, the reason, nothing written) while the response is not due; recorded once it is overdue; then once only', async () => {
      const { caseId } = await customerCase(service, 'c-fabrikam', { proposedSeverity: 'A' });
      await command(service, caseId, 'assignment', { engineerId });
      const view = (await service.request('GET', `/v1/cases/${caseId}`, { key: 'customer' })).body;
      const dueAt = view.sla.initialResponse.dueAt;

      const before = await snapshot(service, caseId);
      const early = await service.request('POST', `/v1/cases/${caseId}/escalations`, {
        key: 'customer',
        body: { reason: 'nobody called us back' },
      });
      expectProblem(early, 409);
      expect(early.body.detail).toBe(
        `a customer may escalate only when there is no progress: the initial response on case ${view.reference} is not due before ${dueAt}`,
      );
      await expectHistoryUnchanged(service, caseId, before);

      clock.set(new Date(Date.parse(dueAt) + MINUTE)); // the initial response is now overdue
      const escalated = await command(
        service,
        caseId,
        'escalations',
        { reason: 'nobody called us back' },
        { key: 'customer' },
      );
      expect(escalated.body).toMatchObject({ caseId, managerId });
      // The clock's jump past the due instant makes the SLA timers due too: they may record the
      // warning or the breach (actor `system`) around the escalation. So the answer is checked
      // against the escalation's own event, and "nothing written" against everyone else's events.
      const entries = await history(service, caseId);
      const escalation = entries.find((e) => e.type === 'EscalatedToManager')!;
      expect({
        revision: escalated.body.revision,
        position: escalated.body.position,
        etag: escalated.headers.get('etag'),
      }).toEqual({ revision: escalation.revision, position: escalation.position, etag: `"${escalation.revision}"` });
      const after = entries.slice(entries.indexOf(escalation) + 1);
      expect(after.map((e) => e.metadata.actor)).toEqual(after.map(() => 'system'));
      expect(escalation).toMatchObject({
        type: 'EscalatedToManager',
        data: {
          engineerId,
          managerId,
          by: 'customer-fabrikam',
          automatic: false,
          clockId: null,
          noProgress: { clockId: 'initialResponse-1', clock: 'initialResponse', dueAt },
        },
        metadata: { actor: 'customer-fabrikam', actorRole: 'customer' },
      });

      const notByTimers = async () =>
        (await history(service, caseId)).filter((e) => e.metadata.actor !== 'system').map((e) => e.revision);
      const written = await notByTimers();
      const again = await service.request('POST', `/v1/cases/${caseId}/escalations`, {
        key: 'customer',
        body: { reason: 'still nothing' },
      });
      expectProblem(again, 409);
      expect(again.body.detail).toMatch(/already escalated to the manager/);
      expect(await notByTimers()).toEqual(written);
    });

    it('an update is progress: refused again until the next update is overdue', async () => {
      const { caseId } = await customerCase(service, 'c-fabrikam', { proposedSeverity: 'A' });
      await command(service, caseId, 'assignment', { engineerId });
      await command(service, caseId, 'updates', { channel: 'phone', summary: 'we are on it' });
      const before = await snapshot(service, caseId);
      const refused = await service.request('POST', `/v1/cases/${caseId}/escalations`, {
        key: 'customer',
        body: { reason: 'no news' },
      });
      expectProblem(refused, 409);
      expect(refused.body.detail).toMatch(/the next update on case .* is not due before/);
      await expectHistoryUnchanged(service, caseId, before);
    });
  });

  describe('severity-A calls', () => {
    it('placed on its own severity-A case (201, the transfer recorded with the customer as actor)', async () => {
      const spare = `e-customers-spare-${unique()}`;
      await registerEngineer(service, spare, managerId);
      await setAvailability(service, engineerId, 'on-shift');
      const on = await setAvailability(service, spare, 'on-shift');
      await everyoneOffShift(service, on.body.position, [engineerId, spare]);
      const { caseId } = await customerCase(service, 'c-fabrikam', { proposedSeverity: 'A' });
      await command(service, caseId, 'assignment', { engineerId });

      const call = await command(service, caseId, 'severity-a-calls', { caller: 'Fabrikam ops' }, { key: 'customer' });
      expect(call.body).toMatchObject({ caseId, fromEngineerId: engineerId });
      const entries = await expectAnswerMatchesHistory(service, call, caseId);
      expect(entries[entries.length - 1]).toMatchObject({
        type: 'TransferredOnSeverityACall',
        data: { caller: 'Fabrikam ops', by: 'customer-fabrikam' },
      });
      await everyoneOffShift(service, call.body.position);
    });

    it('refused on its own B case (409, nothing written)', async () => {
      const before = await snapshot(service, own);
      const response = await service.request('POST', `/v1/cases/${own}/severity-a-calls`, {
        key: 'customer',
        body: { caller: 'Fabrikam ops' },
      });
      expectProblem(response, 409);
      expect(response.body.detail).toMatch(/a customer places a call only on a severity-A case; case .* is severity B/);
      await expectHistoryUnchanged(service, own, before);
      expect((await history(service, own)).map((e) => e.type)).not.toContain('TransferredOnSeverityACall');
    });
  });
});
