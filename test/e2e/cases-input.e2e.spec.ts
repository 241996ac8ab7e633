import { startTestService, TestKey, TestService } from '../support/test-service';
import {
  CASE_COMMANDS,
  caseBody,
  command,
  engineerWithManager,
  expectHistoryUnchanged,
  expectProblem,
  snapshot,
  submitCase,
  totalEvents,
} from '../support/case-fixtures';

const UNKNOWN_CASE = '6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab';

/** Removes fields (dotted paths) from a submission body. */
function without(body: Record<string, any>, ...paths: string[]): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(body));
  for (const path of paths) {
    const keys = path.split('.');
    const last = keys.pop()!;
    delete keys.reduce((o, k) => o[k], copy)[last];
  }
  return copy;
}

describe('case input, authentication and authorization over HTTP (embedded store)', () => {
  let service: TestService;
  let openCase: string;
  let engineerId: string;
  beforeAll(async () => {
    service = await startTestService();
    ({ engineerId } = await engineerWithManager(service, 'input'));
    openCase = (await submitCase(service, { proposedSeverity: 'A' })).caseId;
    await command(service, openCase, 'assignment', { engineerId });
  });
  afterAll(() => service.close());

  describe('POST /v1/cases refuses invalid input with 400, naming every field, and writes nothing', () => {
    const contact = caseBody().contact as Record<string, unknown>;
    it.each<[string, Record<string, unknown>, string[]]>([
      [
        'wrong types',
        caseBody({ usersAffected: 'many', serviceUnavailable: 'yes', partnerAvailable24x7: 1, topic: 42 }),
        ['usersAffected', 'serviceUnavailable', 'partnerAvailable24x7', 'topic'],
      ],
      ['a fractional or negative user count', caseBody({ usersAffected: -2.5 }), ['usersAffected']],
      [
        'unknown fields, top level and nested',
        caseBody({ priority: 'high', contact: { ...contact, fax: '123' } }),
        ['priority', 'contact.fax'],
      ],
      [
        'unknown enum values',
        caseBody({ product: 'windows-95', requestType: 'complaint', submitterRole: 'guest', proposedSeverity: 'D' }),
        ['product', 'requestType', 'submitterRole', 'proposedSeverity'],
      ],
      ['an invalid e-mail', caseBody({ contact: { ...contact, email: 'jo-at-contoso' } }), ['contact.email']],
      [
        'an unknown time zone',
        caseBody({ contact: { ...contact, timeZone: 'Mars/Olympus_Mons' } }),
        ['contact.timeZone'],
      ],
      [
        'a UTC offset instead of a zone',
        caseBody({ contact: { ...contact, timeZone: '+02:00' } }),
        ['contact.timeZone'],
      ],
      ['an unknown country', caseBody({ contact: { ...contact, country: 'ZZ' } }), ['contact.country']],
      [
        'missing required fields',
        without(caseBody(), 'topic', 'summary', 'contact.email', 'partnerAvailable24x7'),
        ['topic', 'summary', 'contact.email', 'partnerAvailable24x7'],
      ],
      ['a contact that is not an object', caseBody({ contact: 'Jo' }), ['contact']],
      [
        'an invalid attachment',
        caseBody({ attachments: [{ name: 'a.log', contentType: 'not a mime type', sizeBytes: -1 }] }),
        ['attachments[0].contentType', 'attachments[0].sizeBytes'],
      ],
      ['a malformed partner id', caseBody({ partnerId: 'p contoso!' }), ['partnerId']],
      ['no partnerId from a staff key', without(caseBody(), 'partnerId'), ['partnerId']],
    ])('%s', async (_name, body, fields) => {
      const before = await totalEvents(service);
      const response = await service.request('POST', '/v1/cases', { body });
      expectProblem(response, 400, fields);
      expect(await totalEvents(service)).toBe(before);
    });

    it('an empty body from a staff key: every required field is named, partnerId included', async () => {
      const before = await totalEvents(service);
      const response = await service.request('POST', '/v1/cases', { body: {} });
      expectProblem(response, 400);
      const named = new Set(response.body.errors.map((e: { field: string }) => e.field));
      for (const field of [
        'partnerId',
        'product',
        'requestType',
        'submitterRole',
        'topic',
        'feature',
        'symptom',
        'summary',
        'details',
        'serviceUnavailable',
        'usersAffected',
        'contact',
        'partnerAvailable24x7',
      ]) {
        expect({ field, named: named.has(field) }).toEqual({ field, named: true });
      }
      expect(await totalEvents(service)).toBe(before);
    });

    it('malformed JSON is a 400 problem', async () => {
      const before = await totalEvents(service);
      const response = await service.request('POST', '/v1/cases', { rawBody: '{"partnerId": "p-contoso", ' });
      expectProblem(response, 400);
      expect(response.body.detail).toMatch(/malformed JSON/);
      expect(await totalEvents(service)).toBe(before);
    });

    it('a body over the limit is a 413 problem', async () => {
      const before = await totalEvents(service);
      const response = await service.request('POST', '/v1/cases', { body: caseBody({ details: 'x'.repeat(70_000) }) });
      expectProblem(response, 413);
      expect(await totalEvents(service)).toBe(before);
    });

    it('a valid body is accepted (the control for the cases above)', async () => {
      const response = await service.request('POST', '/v1/cases', { body: caseBody() });
      expect(response.status).toBe(201);
    });
  });

  describe('case commands refuse invalid input with 400, naming every field, and write nothing', () => {
    it.each<[string, Record<string, unknown>, string[]]>([
      ['severity', { severity: 'D', reason: 'x' }, ['severity']],
      ['severity', { severity: 'A' }, ['reason']],
      ['severity', { severity: 'A', reason: 'x', urgent: true }, ['urgent']],
      ['partner-availability', { available24x7: 'yes' }, ['available24x7']],
      ['partner-availability', {}, ['available24x7']],
      ['assignment', { engineerId: 42 }, ['engineerId']],
      ['assignment', { engineerId: 'bad id with spaces' }, ['engineerId']],
      ['updates', { channel: 'fax', summary: 'x' }, ['channel']],
      ['updates', { channel: 'email' }, ['summary']],
      ['updates', { channel: 'email', summary: '' }, ['summary']],
      ['escalations', {}, ['reason']],
      ['severity-a-calls', { caller: '' }, ['caller']],
      ['severity-a-calls', { caller: 'Jo', engineerId: 'e-1' }, ['engineerId']],
      ['resolution', { summary: 5 }, ['summary']],
      ['closure', { note: 'done' }, ['note']],
      ['reopening', { reason: ['x'] }, ['reason']],
    ])('POST /%s %j', async (route, body, fields) => {
      const before = await snapshot(service, openCase);
      const response = await service.request('POST', `/v1/cases/${openCase}/${route}`, { body });
      expectProblem(response, 400, fields);
      await expectHistoryUnchanged(service, openCase, before);
    });

    it.each(CASE_COMMANDS.map((c) => [c.route] as const))(
      'POST /%s: malformed JSON is a 400, an oversized body a 413',
      async (route) => {
        const before = await snapshot(service, openCase);
        const malformed = await service.request('POST', `/v1/cases/${openCase}/${route}`, { rawBody: '{"reason": ' });
        expectProblem(malformed, 400);
        expect(malformed.body.detail).toMatch(/malformed JSON/);
        const huge = await service.request('POST', `/v1/cases/${openCase}/${route}`, {
          rawBody: JSON.stringify({ reason: 'x'.repeat(70_000) }),
        });
        expectProblem(huge, 413);
        await expectHistoryUnchanged(service, openCase, before);
      },
    );
  });

  describe('401: no key or an unknown key', () => {
    it.each([
      ['GET', ''],
      ['GET', '/history'],
      ['GET', `/state?asOf=${encodeURIComponent('2026-01-01T00:00:00Z')}`],
      ...CASE_COMMANDS.map((c) => ['POST', `/${c.route}`]),
    ])('%s /v1/cases/{id}%s', async (method, suffix) => {
      const before = await snapshot(service, openCase);
      const route = CASE_COMMANDS.find((c) => `/${c.route}` === suffix);
      for (const headers of [
        {},
        { authorization: 'Bearer not-a-known-key-000000' },
        { authorization: 'Basic dXNlcjpwYXNz' },
      ] as Array<Record<string, string>>) {
        const response = await service.request(method, `/v1/cases/${openCase}${suffix}`, {
          key: null,
          headers,
          body: route?.body,
        });
        expectProblem(response, 401);
      }
      await expectHistoryUnchanged(service, openCase, before);
    });

    it('POST /v1/cases', async () => {
      const before = await totalEvents(service);
      expectProblem(await service.request('POST', '/v1/cases', { key: null, body: caseBody() }), 401);
      expect(await totalEvents(service)).toBe(before);
    });
  });

  describe('403: the role may not', () => {
    const forbidden: Array<[TestKey, string]> = [
      ...CASE_COMMANDS.map((c) => ['auditor', c.route] as [TestKey, string]),
      ...CASE_COMMANDS.map((c) => ['ops', c.route] as [TestKey, string]),
      ...['severity', 'assignment', 'updates', 'resolution', 'closure', 'reopening'].map(
        (r) => ['partner', r] as [TestKey, string],
      ),
    ];
    it.each(forbidden)('%s: POST /v1/cases/{id}/%s', async (key, route) => {
      const body = route === 'assignment' ? { engineerId } : CASE_COMMANDS.find((c) => c.route === route)!.body;
      const before = await snapshot(service, openCase);
      const response = await service.request('POST', `/v1/cases/${openCase}/${route}`, { key, body });
      expectProblem(response, 403);
      await expectHistoryUnchanged(service, openCase, before);
    });

    it.each<TestKey>(['auditor', 'ops'])('%s: POST /v1/cases', async (key) => {
      const before = await totalEvents(service);
      expectProblem(await service.request('POST', '/v1/cases', { key, body: caseBody() }), 403);
      expect(await totalEvents(service)).toBe(before);
    });

    it('the same commands pass for support (the control)', async () => {
      const { caseId } = await submitCase(service, { proposedSeverity: 'B' });
      const response = await service.request('POST', `/v1/cases/${caseId}/severity`, {
        key: 'manager',
        body: { severity: 'C', reason: 'workaround' },
      });
      expect(response.status).toBe(200);
    });
  });

  describe('404: an unknown case', () => {
    it.each([
      ['GET', ''],
      ['GET', '/history'],
      ['GET', `/state?asOf=${encodeURIComponent(new Date().toISOString())}`],
      ...CASE_COMMANDS.map((c) => ['POST', `/${c.route}`]),
    ])('%s /v1/cases/{unknown}%s', async (method, suffix) => {
      const before = await totalEvents(service);
      const route = CASE_COMMANDS.find((c) => `/${c.route}` === suffix);
      const body = route?.route === 'assignment' ? { engineerId } : route?.body;
      const response = await service.request(method, `/v1/cases/${UNKNOWN_CASE}${suffix}`, { body });
      expectProblem(response, 404);
      expect(await totalEvents(service)).toBe(before);
    });

    it('with an If-Match header it is still a 404 (not a 412 naming a revision)', async () => {
      const before = await totalEvents(service);
      const response = await service.request('POST', `/v1/cases/${UNKNOWN_CASE}/updates`, {
        body: { channel: 'email', summary: 'x' },
        headers: { 'if-match': '"3"' },
      });
      expectProblem(response, 404);
      expect(await totalEvents(service)).toBe(before);
    });

    it.each([
      ['GET', ''],
      ['GET', '/history'],
      ['POST', '/updates'],
    ])('%s /v1/cases/{not-a-uuid}%s is a 404', async (method, suffix) => {
      const response = await service.request(method, `/v1/cases/not-a-uuid${suffix}`, {
        body: method === 'POST' ? { channel: 'email', summary: 'x' } : undefined,
      });
      expectProblem(response, 404);
    });
  });
});
