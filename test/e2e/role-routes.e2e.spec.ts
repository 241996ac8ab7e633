import { ModulesContainer } from '@nestjs/core';
import { INestApplication, Type } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../libs/platform/config/app-config';
import { buildOpenApiDocument } from '../../libs/platform/openapi/openapi-document';
import { ProjectionConsumersModule } from '../../libs/projections/projection-consumers.module';
import { SlaTimersModule } from '../../libs/sla-timers/sla-timers.module';
import { AlertDeliveryModule } from '../../libs/alerts/alert-delivery.module';
import { NotificationsModule } from '../../libs/notifications/notifications.module';
import { startTestService, TestService } from '../support/test-service';
import { waitUntil } from '../support/case-requests';
import { ensureConsoleBuilt } from '../support/browser';

/**
 * The route table and the consumers of each role (apps/casetrail/app.module.ts). `api` and
 * `worker` share one PostgreSQL schema and one Redis prefix, as two processes of one deployment
 * do; `all` runs on the embedded store in its two-thread topology (BACKGROUND_THREAD=on, the
 * production default; its thread runs compiled code: `npm test` builds it first).
 */

/** The routes every application serves, by method and path, as the OpenAPI document lists them. */
const OPERATIONAL = ['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /metrics'];
const CONSUMER_MODULES: Type[] = [ProjectionConsumersModule, SlaTimersModule, AlertDeliveryModule, NotificationsModule];

function routeTable(app: INestApplication): string[] {
  const paths = buildOpenApiDocument(app).paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

/** The consumer modules this application mounted (their lifecycle hooks start them). */
function consumerModules(app: INestApplication): string[] {
  const mounted = new Set([...app.get(ModulesContainer).values()].map((m) => m.metatype));
  return CONSUMER_MODULES.filter((m) => mounted.has(m)).map((m) => m.name);
}

describe('roles: what each process serves and runs', () => {
  let api: TestService;
  let worker: TestService;
  let all: TestService;

  beforeAll(async () => {
    // The ops console is served where the API is, when built: build it so that its absence on the worker means something.
    ensureConsoleBuilt();
    api = await startTestService({ store: 'postgres', env: { ROLE: 'api' } });
    worker = await startTestService({
      env: {
        ROLE: 'worker',
        EVENT_STORE: 'postgres',
        DATABASE_URL: apiDatabaseUrl(api),
        REDIS_PREFIX: api.redisPrefix,
      },
    });
    all = await startTestService({ env: { BACKGROUND_THREAD: 'on' } });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await all?.close();
  });

  it('--role worker answers 404 on the API (/v1/cases, /v1/engineers, admin, /docs) and serves /health* and /metrics only', async () => {
    expect(routeTable(worker.service.app)).toEqual(OPERATIONAL);
    for (const [path, key] of [
      ['/v1/cases', 'support'],
      ['/v1/engineers', 'support'],
      ['/v1/alerts', 'support'],
      ['/v1/sla/preview?severity=A&from=2026-11-14T03:00:00Z&timeZone=UTC', 'support'],
      ['/v1/admin/projections', 'admin'],
    ] as const) {
      const response = await worker.request('GET', path, { key });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    expect((await worker.request('POST', '/v1/cases', { body: {} })).status).toBe(404);
    expect((await fetch(`${worker.url}/docs-json`)).status).toBe(404);
    expect((await fetch(`${worker.url}/console`)).status).toBe(404);
    expect((await worker.request('GET', '/health', { key: null })).body).toMatchObject({
      status: 'ok',
      role: 'worker',
    });
    expect((await worker.request('GET', '/health/live', { key: null })).status).toBe(200);
    expect((await worker.request('GET', '/metrics', { key: 'ops' })).status).toBe(200);
    expect(consumerModules(worker.service.app)).toEqual(CONSUMER_MODULES.map((m) => m.name));
  });

  it('--role api serves every route and runs no consumer; the worker beside it fills the read models', async () => {
    const table = routeTable(api.service.app);
    expect(table).toEqual(
      expect.arrayContaining([
        ...OPERATIONAL,
        'GET /v1/cases',
        'POST /v1/cases',
        'GET /v1/engineers',
        'GET /v1/admin/projections',
      ]),
    );
    expect(consumerModules(api.service.app)).toEqual([]);
    expect((await fetch(`${api.url}/docs-json`)).status).toBe(200);
    expect((await fetch(`${api.url}/console`)).status).toBe(200);
    const registered = await api.request('POST', '/v1/engineers', {
      key: 'admin',
      body: { engineerId: 'e-roles', name: 'Roles', email: 'e-roles@example.com', timeZone: 'Europe/Paris' },
    });
    expect(registered.status).toBe(201);
    // Projected by the worker process (the API runs no projection), read through the API.
    const list = await waitUntil(
      () => api.request('GET', '/v1/engineers', { key: 'auditor' }),
      (r) =>
        r.status === 200 && (r.body.items as Array<{ engineerId: string }>).some((e) => e.engineerId === 'e-roles'),
      60_000,
    );
    expect(list.status).toBe(200);
  });

  it('role all (two threads): the HTTP thread serves the API table and runs no consumer; its background thread runs them', async () => {
    expect(routeTable(all.service.app)).toEqual(routeTable(api.service.app));
    expect(consumerModules(all.service.app)).toEqual([]);
    const health = await all.request('GET', '/health', { key: null });
    expect(health.body).toMatchObject({ status: 'ok', role: 'all', backgroundThread: { status: 'running' } });
    const registered = await all.request('POST', '/v1/engineers', {
      key: 'admin',
      body: { engineerId: 'e-roles-all', name: 'Roles', email: 'e-roles-all@example.com', timeZone: 'Europe/Paris' },
    });
    expect(registered.status).toBe(201);
    const list = await waitUntil(
      () => all.request('GET', '/v1/engineers', { key: 'auditor' }),
      (r) =>
        r.status === 200 && (r.body.items as Array<{ engineerId: string }>).some((e) => e.engineerId === 'e-roles-all'),
      60_000,
    );
    expect(list.status).toBe(200);
  });

  it('role all in one thread (BACKGROUND_THREAD=off) mounts both: the API table and every consumer', async () => {
    const single = await startTestService({ env: { BACKGROUND_THREAD: 'off' } });
    try {
      expect(routeTable(single.service.app)).toEqual(routeTable(api.service.app));
      expect(consumerModules(single.service.app)).toEqual(CONSUMER_MODULES.map((m) => m.name));
    } finally {
      await single.close();
    }
  });
});

/** The API service's connection string (its own schema), for the worker of the same deployment. */
function apiDatabaseUrl(service: TestService): string {
  const url = service.service.app.get<AppConfig>(APP_CONFIG).databaseUrl;
  if (!url) throw new Error('the API service runs on PostgreSQL');
  return url;
}
