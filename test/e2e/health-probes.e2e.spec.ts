import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';
import { SqlClient } from '../../libs/event-store/sql/sql-client';
import { ReadinessController } from '../../libs/platform/health/readiness.controller';
import { READ_MODEL_SQL } from '../../libs/platform/tokens';
import { submitCase, unique } from '../support/case-fixtures';
import { PrivateRedis, startPrivateRedis } from '../support/private-servers';
import { testDatabaseUrl } from '../support/test-database';
import { startTestService, TestService, withSearchPath } from '../support/test-service';
import { ALL_PROJECTIONS } from '../../libs/projections/read-models/all-projections';

/** Polls GET `path` (no key) until `done` holds for its answer. */
async function waitFor(
  service: TestService,
  path: string,
  done: (r: { status: number; body: any }) => boolean,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await service.request('GET', path, { key: null });
    if (done(response)) return response;
    if (Date.now() > deadline)
      throw new Error(`${path} never matched: ${response.status} ${JSON.stringify(response.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('GET /health/live and /health/ready (embedded store, role all)', () => {
  let redis: PrivateRedis;
  let service: TestService;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    service = await startTestService({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await service.close();
    await redis.stop();
  });

  it('live: 200 without a key', async () => {
    const live = await service.request('GET', '/health/live', { key: null });
    expect(live).toMatchObject({ status: 200, body: { status: 'live' } });
  });

  it('ready: 200 without a key, each dependency up and every projection this process runs caught up', async () => {
    await submitCase(service, { summary: `health ${unique()}` });
    const ready = await waitFor(
      service,
      '/health/ready',
      (r) => r.status === 200 && r.body.checks.projections.items.every((p: any) => p.lagSeconds < 5),
    );
    expect(ready.body).toMatchObject({
      status: 'ready',
      role: 'all',
      checks: {
        eventStore: { kind: 'embedded', status: 'up' },
        readModels: { status: 'up' },
        redis: { status: 'up' },
        projections: { maxLagSeconds: 30, checked: true },
      },
    });
    expect(ready.body.notReady).toBeUndefined();
    const names = ready.body.checks.projections.items.map((p: any) => p.name);
    expect(names).toEqual([
      'cases',
      'engineers',
      'alerts',
      'sla-outcomes',
      'call-queue',
      'sla-timers',
      'sla-timer-arming',
    ]);
    // The names readiness looks up are the ones the runners store (a rename would leave them unchecked).
    const sql = service.service.app.get<symbol, SqlClient>(READ_MODEL_SQL);
    const stored = (await sql.query<{ name: string }>('select name from ct_projections')).map((r) => r.name);
    expect(stored).toEqual(expect.arrayContaining(names));
  });

  it('Redis down: ready 503 with Retry-After naming redis, live still 200; ready again once Redis is back', async () => {
    await redis.stop();
    const down = await waitFor(service, '/health/ready', (r) => r.status !== 200);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('not ready');
    expect(down.body.notReady).toEqual([expect.stringMatching(/^redis: /)]);
    const raw = await fetch(`${service.url}/health/ready`);
    expect(raw.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await service.request('GET', '/health/live', { key: null })).status).toBe(200);
    await redis.start();
    await waitFor(service, '/health/ready', (r) => r.status === 200);
  });

  it('shutting down: live and ready answer 503 from the first shutdown hook on', async () => {
    service.service.app.get(ReadinessController).onModuleDestroy();
    expect(await service.request('GET', '/health/live', { key: null })).toMatchObject({
      status: 503,
      body: { status: 'shutting down' },
    });
    const ready = await service.request('GET', '/health/ready', { key: null });
    expect(ready.status).toBe(503);
    expect(ready.body.notReady).toContain('shutting down');
  });
});

describe('GET /health/ready with projections behind (PostgreSQL, READY_MAX_PROJECTION_LAG_SECONDS=1)', () => {
  const schema = `ct_test_ready_${unique()}`;
  const url = withSearchPath(testDatabaseUrl(), schema);
  let other: PgSqlClient;
  let releaseLock: (() => Promise<void>) | null = null;
  let service: TestService;
  beforeAll(async () => {
    const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
    await admin.exec(`create schema ${schema}`);
    await admin.close();
    // Another process "runs" the read-model projections (holds their lock) but makes no progress.
    other = new PgSqlClient(url, { max: 1 });
    // The read models' group is every projection of ALL_PROJECTIONS (its lock is named after them).
    releaseLock = await other.tryExclusiveLock(`projections:${ALL_PROJECTIONS.map((p) => p.name).join(',')}`);
    expect(releaseLock).not.toBeNull();
    service = await startTestService({
      store: 'postgres',
      env: { DATABASE_URL: url, READY_MAX_PROJECTION_LAG_SECONDS: '1' },
    });
  });
  afterAll(async () => {
    await releaseLock?.();
    await other.close();
    await service.close();
    const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
    await admin.exec(`drop schema if exists ${schema} cascade`);
    await admin.close();
  });

  it('503 naming each projection past the threshold, then 200 once they catch up', async () => {
    await submitCase(service, { summary: `lagging ${unique()}` });
    const behind = await waitFor(
      service,
      '/health/ready',
      (r) => r.status === 503 && r.body.notReady?.some((line: string) => line.startsWith('projection cases')),
    );
    expect(behind.body.notReady).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^projection cases: [\d.]+ s behind the store \(max 1 s\)$/),
        expect.stringMatching(/^projection alerts: /),
      ]),
    );
    // The SLA scheduler is not held back: it is not named.
    expect(behind.body.notReady.join()).not.toContain('sla-timers');
    const cases = behind.body.checks.projections.items.find((p: any) => p.name === 'cases');
    expect(cases.lagSeconds).toBeGreaterThan(1);
    // The dependencies themselves are fine: /health (dependencies only) still says ok.
    expect((await service.request('GET', '/health', { key: null })).status).toBe(200);

    await releaseLock!();
    releaseLock = null;
    const caughtUp = await waitFor(service, '/health/ready', (r) => r.status === 200);
    expect(caughtUp.body.checks.projections.items.every((p: any) => p.lagSeconds <= 1)).toBe(true);
  });
});
