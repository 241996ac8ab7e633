import { startTestService, TestResponse, TestService } from '../support/test-service';
import { waitUntil } from '../support/case-requests';

describe('GET /health (embedded store)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  it('answers 200 without a key and reports each dependency', async () => {
    const response = await service.request('GET', '/health', { key: null });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      role: 'all',
      dependencies: {
        eventStore: { kind: 'embedded', status: 'up' },
        readModels: { kind: 'embedded', status: 'up' },
        redis: { status: 'up' },
      },
    });
  });

  it('asks every other route for a key: 401 problem+json', async () => {
    const response = await service.request('GET', '/v1/engineers', { key: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    const unknown = await service.request('GET', '/v1/engineers', {
      headers: { authorization: 'Bearer nope' },
      key: null,
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toBe('unknown API key');
  });

  it('serves the OpenAPI document at /docs', async () => {
    const response = await fetch(`${service.url}/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { info: { title: string } };
    expect(document.info.title).toBe('Casetrail');
  });
});

describe('rate limiting (RATE_LIMIT_PER_SECOND)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ env: { RATE_LIMIT_PER_SECOND: '5' } });
  });
  afterAll(() => service.close());

  it('answers 429 problem+json with Retry-After once a key exceeds its burst; other keys are unaffected', async () => {
    const preview = () =>
      service.request('GET', '/v1/sla/preview?severity=A&from=2026-11-14T03:00:00Z&timeZone=UTC', { key: 'ops' });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await preview()).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    // Past the burst, faster than 5 a second however slow the machine (one at a time, a request
    // that takes over 200 ms never outruns the refill): twenty at once until the bucket is empty.
    let limited: TestResponse | undefined;
    await waitUntil(
      async () => {
        const answers = await Promise.all(Array.from({ length: 20 }, preview));
        statuses.push(...answers.map((a) => a.status));
        limited = answers.find((a) => a.status === 429);
        return statuses;
      },
      (seen) => seen.includes(429),
      30_000,
    );
    expect(statuses).toContain(429);
    if (!limited) throw new Error('no 429');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(
      (
        await service.request('GET', '/v1/sla/preview?severity=A&from=2026-11-14T03:00:00Z&timeZone=UTC', {
          key: 'auditor',
        })
      ).status,
    ).toBe(200);
  });
});
