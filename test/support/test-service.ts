import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startService, RunningService } from '../../apps/casetrail/bootstrap';
import { loadConfig } from '../../libs/platform/config/app-config';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { Clock } from '../../libs/platform/clock/clock';
import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';
import { testDatabaseUrl } from './test-database';
import { seedEmbeddedStore } from './pglite-template';

/** The API keys every test service accepts, by name. */
export const TEST_KEYS = {
  support: 'test-key-support-000000',
  manager: 'test-key-manager-000000',
  auditor: 'test-key-auditor-000000',
  ops: 'test-key-ops-0000000000',
  admin: 'test-key-admin-00000000',
  partner: 'test-key-partner-contoso',
  otherPartner: 'test-key-partner-northwind',
  customer: 'test-key-customer-fabrikam',
  otherCustomer: 'test-key-customer-tailspin',
} as const;
export type TestKey = keyof typeof TEST_KEYS;

export function writeTestApiKeys(dir: string): string {
  const file = join(dir, 'api-keys.json');
  writeFileSync(
    file,
    JSON.stringify([
      { name: 'support-1', key: TEST_KEYS.support, role: 'support' },
      { name: 'manager-1', key: TEST_KEYS.manager, role: 'manager' },
      { name: 'auditor-1', key: TEST_KEYS.auditor, role: 'auditor' },
      { name: 'ops-1', key: TEST_KEYS.ops, role: 'ops' },
      { name: 'admin-1', key: TEST_KEYS.admin, role: 'admin' },
      { name: 'portal-contoso', key: TEST_KEYS.partner, role: 'partner', partnerId: 'p-contoso' },
      { name: 'portal-northwind', key: TEST_KEYS.otherPartner, role: 'partner', partnerId: 'p-northwind' },
      // Two customers of p-contoso.
      {
        name: 'customer-fabrikam',
        key: TEST_KEYS.customer,
        role: 'customer',
        partnerId: 'p-contoso',
        customerId: 'c-fabrikam',
      },
      {
        name: 'customer-tailspin',
        key: TEST_KEYS.otherCustomer,
        role: 'customer',
        partnerId: 'p-contoso',
        customerId: 'c-tailspin',
      },
    ]),
  );
  return file;
}

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestService {
  readonly url: string;
  readonly service: RunningService;
  readonly dataDir: string;
  readonly redisPrefix: string;
  request<T = any>(
    method: string,
    path: string,
    options?: { key?: TestKey | null; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<TestResponse<T>>;
  close(): Promise<void>;
}

/**
 * The real service, in-process, on a real HTTP port, with its own store (a temporary DATA_DIR for
 * the embedded store, or a schema of its own in PostgreSQL) and its own Redis key prefix, so test
 * files running in parallel never share state.
 */
export async function startTestService(
  options: {
    store?: 'embedded' | 'postgres';
    env?: Record<string, string>;
    clock?: Clock;
    /** The service's logger (default: errors only, on stdout); e.g. one that collects its lines. */
    logger?: JsonLogger;
  } = {},
): Promise<TestService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-test-'));
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  // `env.REDIS_PREFIX` lets two services share one (e.g. to test limits shared through Redis).
  const redisPrefix = options.env?.REDIS_PREFIX ?? `ct-test-${id}`;
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    REDIS_PREFIX: redisPrefix,
    API_KEYS_FILE: writeTestApiKeys(dataDir),
    LOG_LEVEL: 'error',
    // Role `all` in one thread, chosen here and not by what files exist: these tests reach into
    // the running application (its providers, an injected clock), which a worker thread would
    // hide. The two-thread topology (the default) runs where a test sets BACKGROUND_THREAD=on
    // (test/e2e/role-routes.e2e.spec.ts) and in every test of the built service (test/process).
    BACKGROUND_THREAD: 'off',
  };
  let schema: string | undefined;
  if (options.store === 'postgres') {
    schema = `ct_test_${id}`;
    const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
    await admin.exec(`create schema ${schema}`);
    await admin.close();
    env.EVENT_STORE = 'postgres';
    env.DATABASE_URL = withSearchPath(testDatabaseUrl(), schema);
  }
  Object.assign(env, options.env);
  // The embedded store on this file's own empty DATA_DIR: start from the prepared empty cluster.
  if ((env.EVENT_STORE ?? 'embedded') === 'embedded' && env.DATA_DIR === dataDir) await seedEmbeddedStore(dataDir);
  const service = await startService(loadConfig(env, []), {
    logger: options.logger ?? new JsonLogger('error'),
    clock: options.clock,
  });
  return {
    url: service.url,
    service,
    dataDir,
    redisPrefix,
    async request(method, path, { key = 'support', body, rawBody, headers = {} } = {}) {
      const response = await fetch(service.url + path, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${TEST_KEYS[key]}` } : {}),
          ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: response.status, headers: response.headers, body: parsed as any };
    },
    async close() {
      await service.close();
      await deleteRedisKeys(env.REDIS_URL ?? 'redis://127.0.0.1:6379', redisPrefix);
      if (schema) {
        const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
        await admin.exec(`drop schema ${schema} cascade`);
        await admin.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A connection string whose sessions use `schema` first. */
export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
