import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawnService, ServiceProcess } from '../support/service-process';
import { seedEmbeddedStore } from '../support/pglite-template';
import { TEST_KEYS, writeTestApiKeys, deleteRedisKeys, withSearchPath } from '../support/test-service';
import { secondsPolicy, submission, waitUntil } from '../support/case-requests';
import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';
import { testDatabaseUrl } from '../support/test-database';
import { limiter } from '../support/limiter';

type HistoryEntry = { type: string };
const ACTIONS = ['SlaWarningRaised', 'SlaBreached', 'UpdateReminderSent', 'EscalatedToManager'];

async function call(url: string, method: string, path: string, body?: unknown, key: keyof typeof TEST_KEYS = 'admin') {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${TEST_KEYS[key]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** A case with an engineer (who has a manager): all four timer actions will be due. */
async function caseWithEngineer(url: string, suffix: string): Promise<string> {
  await call(url, 'POST', '/v1/engineers', {
    engineerId: `m-${suffix}`,
    name: 'M',
    email: 'm@example.com',
    timeZone: 'UTC',
  });
  await call(url, 'POST', '/v1/engineers', {
    engineerId: `e-${suffix}`,
    name: 'E',
    email: 'e@example.com',
    managerId: `m-${suffix}`,
    timeZone: 'UTC',
  });
  // On shift: a severity-A case is only assigned to an engineer on shift.
  expect((await call(url, 'POST', `/v1/engineers/e-${suffix}/availability`, { status: 'on-shift' })).status).toBe(200);
  const submitted = await call(url, 'POST', '/v1/cases', submission());
  expect(submitted.status).toBe(201);
  expect(
    (await call(url, 'POST', `/v1/cases/${submitted.body.caseId}/assignment`, { engineerId: `e-${suffix}` })).status,
  ).toBe(200);
  return submitted.body.caseId;
}

async function expectEachActionOnce(url: string, caseIds: string[]): Promise<void> {
  for (const caseId of caseIds) {
    await waitUntil(
      async () => (await call(url, 'GET', `/v1/cases/${caseId}/history`)).body as HistoryEntry[],
      (events) => events.some((e) => e.type === 'EscalatedToManager'),
      60_000,
    );
  }
  await new Promise((r) => setTimeout(r, 2000));
  for (const caseId of caseIds) {
    const types = ((await call(url, 'GET', `/v1/cases/${caseId}/history`)).body as HistoryEntry[]).map((e) => e.type);
    for (const action of ACTIONS)
      expect({ caseId, action, count: types.filter((t) => t === action).length }).toEqual({ caseId, action, count: 1 });
  }
}

/** A service process on PostgreSQL (its own schema and Redis prefix) with the seconds policy. */
function postgresEnv(dir: string, schema: string, prefix: string): Record<string, string> {
  return {
    EVENT_STORE: 'postgres',
    DATABASE_URL: withSearchPath(testDatabaseUrl(), schema),
    DATA_DIR: dir,
    API_KEYS_FILE: writeTestApiKeys(dir),
    REDIS_PREFIX: prefix,
    SLA_POLICY_FILE: policyFile(dir),
  };
}

function policyFile(dir: string): string {
  const file = join(dir, 'policy.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...secondsPolicy('crash'),
      severities: Object.fromEntries(
        ['A', 'B', 'C'].map((s) => [s, { calendar: '24x7', initialResponse: 'PT8S', update: 'PT8S' }]),
      ),
    }),
  );
  return file;
}

/** What one scenario of this file owns: a folder, a Redis prefix, a PostgreSQL schema, its processes. */
interface Scratch {
  dir: string;
  prefix: string;
  schema: string;
  processes: ServiceProcess[];
}

/**
 * Two scenarios at a time: they mostly wait seconds-long SLA clocks out, but each starts one to
 * three service processes, and starting them all at once would crowd a busy machine.
 */
const lane = limiter(2);

/**
 * Runs one scenario (in its lane) with a scratch of its own, then stops its processes and deletes
 * what it made. The scenarios of this file run concurrently (it.concurrent), so each sets up and
 * cleans up inside its own test: jest starts concurrent tests before the beforeAll hooks of their
 * describe blocks would run.
 */
function inScratch(name: string, work: (scratch: Scratch) => Promise<void>): Promise<void> {
  return lane(() => scratchRun(name, work));
}

async function scratchRun(name: string, work: (scratch: Scratch) => Promise<void>): Promise<void> {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  const scratch: Scratch = {
    dir: mkdtempSync(join(tmpdir(), `casetrail-${name}-`)),
    prefix: `ct-test-${name}-${id}`,
    schema: `ct_test_${name.replace(/-/g, '_')}_${id}`,
    processes: [],
  };
  const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
  try {
    await admin.exec(`create schema ${scratch.schema}`);
    await work(scratch);
  } finally {
    for (const p of scratch.processes) await p.stop().catch(() => undefined);
    await deleteRedisKeys('redis://127.0.0.1:6379', scratch.prefix);
    await admin.exec(`drop schema if exists ${scratch.schema} cascade`);
    await admin.close();
    rmSync(scratch.dir, { recursive: true, force: true });
  }
}

describe('SLA timers survive crashes', () => {
  it.concurrent(
    'kill -9 while timers are pending, start again: every due action happens once',
    () =>
      inScratch('tcrash', async ({ dir, prefix, processes }) => {
        const env = {
          DATA_DIR: dir,
          API_KEYS_FILE: writeTestApiKeys(dir),
          REDIS_PREFIX: prefix,
          SLA_POLICY_FILE: policyFile(dir),
          SLA_SWEEP_INTERVAL_MS: '1000',
        };
        await seedEmbeddedStore(dir);
        const first = await spawnService(env);
        processes.push(first);
        const caseIds = [await caseWithEngineer(first.url, 'k1'), await caseWithEngineer(first.url, 'k2')];
        // Crash after the warning is due (4 s) but before the breach (8 s).
        await new Promise((r) => setTimeout(r, 4500));
        await first.kill9();
        const second = await spawnService(env);
        processes.push(second);
        await expectEachActionOnce(second.url, caseIds);
      }),
    360_000, // 180 s of its own, after waiting for its lane
  );
});

describe('two worker processes on one Redis and PostgreSQL', () => {
  it.concurrent(
    'each due action happens exactly once',
    () =>
      inScratch('2w', async ({ dir, prefix, schema, processes }) => {
        const env = postgresEnv(dir, schema, prefix);
        const api = await spawnService(env, ['--role', 'api']);
        processes.push(api);
        processes.push(await spawnService(env, ['--role', 'worker']));
        processes.push(await spawnService(env, ['--role', 'worker']));
        const caseIds: string[] = [];
        for (let i = 0; i < 4; i++) caseIds.push(await caseWithEngineer(api.url, `w${i}`));
        await expectEachActionOnce(api.url, caseIds);
      }),
    360_000, // 180 s of its own, after waiting for its lane
  );
});

describe.each(['postgres', 'embedded'] as const)(
  'role all on %s: the background work runs in a worker thread beside the API',
  (store) => {
    it.concurrent(
      'projections and timers run (each due action once), /health says all, SIGTERM stops both cleanly',
      () =>
        inScratch(`thread-${store}`, async ({ dir, prefix, schema, processes }) => {
          // On the embedded store the thread reaches the database through its own port to the PGlite thread.
          const env =
            store === 'postgres'
              ? postgresEnv(dir, schema, prefix)
              : {
                  DATA_DIR: await seedEmbeddedStore(dir),
                  API_KEYS_FILE: writeTestApiKeys(dir),
                  REDIS_PREFIX: prefix,
                  SLA_POLICY_FILE: policyFile(dir),
                };
          const service = await spawnService({ ...env, LOG_LEVEL: 'info' });
          processes.push(service);
          expect(await (await fetch(`${service.url}/health`)).json()).toMatchObject({ status: 'ok', role: 'all' });
          expect(service.output()).toContain('background work in a worker thread');
          const caseIds = [await caseWithEngineer(service.url, 't1'), await caseWithEngineer(service.url, 't2')];
          // The case list is a projection: it is written by the thread.
          const listed = await waitUntil(
            async () =>
              (await call(service.url, 'GET', '/v1/cases?limit=10')).body.items as Array<{
                caseId: string;
                engineerId: string;
              }>,
            (items) => items.length === 2 && items.every((c) => c.engineerId),
          );
          expect(listed.map((c) => c.caseId).sort()).toEqual([...caseIds].sort());
          await expectEachActionOnce(service.url, caseIds);

          const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
          service.child.kill('SIGTERM');
          expect(await exited).toBe(0);
        }),
      360_000, // 180 s of its own, after waiting for its lane
    );
  },
);
