import { startTestService, TestService } from '../support/test-service';

describe('engineers over HTTP (embedded store)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  it('registers a manager and an engineer, changes availability, lists them with open cases', async () => {
    const manager = await service.request('POST', '/v1/engineers', {
      key: 'admin',
      body: { engineerId: 'm-ada', name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Paris' },
    });
    expect(manager.status).toBe(201);
    expect(manager.body).toMatchObject({ engineerId: 'm-ada', revision: 0 });
    expect(manager.headers.get('etag')).toBe('"0"');
    expect(typeof manager.body.position).toBe('string');

    const engineer = await service.request('POST', '/v1/engineers', {
      key: 'admin',
      body: {
        engineerId: 'e-bob',
        name: 'Bob',
        email: 'bob@example.com',
        managerId: 'm-ada',
        timeZone: 'America/New_York',
      },
    });
    expect(engineer.status).toBe(201);

    const onShift = await service.request('POST', '/v1/engineers/e-bob/availability', {
      key: 'support',
      body: { status: 'on-shift' },
    });
    expect(onShift.status).toBe(200);
    expect(onShift.body).toMatchObject({ engineerId: 'e-bob', availability: 'on-shift', revision: 1 });

    const list = await service.request('GET', `/v1/engineers?consistentWith=${onShift.body.position}`, {
      key: 'auditor',
    });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        engineerId: 'e-bob',
        managerId: 'm-ada',
        availability: 'on-shift',
        openCases: { A: 0, B: 0, C: 0, unassessed: 0 },
      }),
      expect.objectContaining({ engineerId: 'm-ada', managerId: null, availability: 'off-shift' }),
    ]);
  });

  it('refuses bad input with every field named, and writes nothing', async () => {
    const response = await service.request('POST', '/v1/engineers', {
      key: 'admin',
      body: { engineerId: 'e-bad', name: '', email: 'not-an-email', timeZone: 'Mars/Olympus', extra: 1 },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const fields = response.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'extra', 'name', 'timeZone']);
    const list = await service.request('GET', '/v1/engineers', { key: 'admin' });
    expect(list.body.items.map((e: { engineerId: string }) => e.engineerId)).not.toContain('e-bad');
  });

  it('answers 404 for an unknown manager or engineer, 409 for a second registration', async () => {
    const unknownManager = await service.request('POST', '/v1/engineers', {
      key: 'admin',
      body: { engineerId: 'e-x', name: 'X', email: 'x@example.com', managerId: 'nobody', timeZone: 'UTC' },
    });
    expect(unknownManager.status).toBe(404);
    const unknown = await service.request('POST', '/v1/engineers/nobody/availability', { body: { status: 'away' } });
    expect(unknown.status).toBe(404);
    const again = await service.request('POST', '/v1/engineers', {
      key: 'admin',
      body: { engineerId: 'm-ada', name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Paris' },
    });
    expect(again.status).toBe(409);
  });

  it('checks roles: support may not register engineers, partners may not list them', async () => {
    const register = await service.request('POST', '/v1/engineers', {
      key: 'support',
      body: { name: 'Y', email: 'y@example.com', timeZone: 'UTC' },
    });
    expect(register.status).toBe(403);
    expect((await service.request('GET', '/v1/engineers', { key: 'partner' })).status).toBe(403);
  });

  it('returns the first answer to a repeated Idempotency-Key and writes nothing new', async () => {
    const send = () =>
      service.request('POST', '/v1/engineers', {
        key: 'admin',
        headers: { 'idempotency-key': 'register-carol-1' },
        body: { engineerId: 'e-carol', name: 'Carol', email: 'carol@example.com', managerId: 'm-ada', timeZone: 'UTC' },
      });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses malformed JSON and oversized bodies as problems', async () => {
    const malformed = await service.request('POST', '/v1/engineers', { key: 'admin', rawBody: '{"name": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toMatch(/malformed JSON/);
    const huge = await service.request('POST', '/v1/engineers', {
      key: 'admin',
      rawBody: JSON.stringify({ name: 'x'.repeat(100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
