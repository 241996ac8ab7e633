import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnService } from '../support/service-process';
import { seedEmbeddedStore } from '../support/pglite-template';
import { TEST_KEYS, writeTestApiKeys } from '../support/test-service';
import { secondsPolicy, submission, waitUntil } from '../support/case-requests';
import { startPrivatePostgres, startPrivateRedis } from '../support/private-servers';
import { limiter } from '../support/limiter';
import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';

/**
 * The service outlives its dependencies: a role `all` process (HTTP + background thread) on a
 * PostgreSQL and a Redis of the test's own, which the test stops and starts again under load.
 */

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${TEST_KEYS.admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

const is2xx = (status: number) => status >= 200 && status < 300;

/** A 503 as the contract says: problem+json with Retry-After. */
function expectUnavailable(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
}

/**
 * A few clients that submit cases and log updates on them in a loop until told to stop, keeping
 * every answer: what was acknowledged (2xx: case and revision) and every status seen.
 */
class Load {
  readonly acknowledged: Array<{ caseId: string; revision: number }> = [];
  readonly statuses: number[] = [];
  readonly unavailable: Answer[] = [];
  readonly failures: string[] = [];
  private stopped = false;
  private readonly clients: Promise<void>[];

  constructor(
    private readonly url: string,
    clients = 3,
    private readonly maxCommands = 3000,
  ) {
    this.clients = Array.from({ length: clients }, () => this.client());
  }

  get commands(): number {
    return this.statuses.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.clients);
  }

  private async client(): Promise<void> {
    let caseId: string | null = null;
    let updates = 0;
    while (!this.stopped && this.commands < this.maxCommands) {
      let answer: Answer;
      try {
        answer =
          caseId === null
            ? await call(this.url, 'POST', '/v1/cases', submission())
            : await call(this.url, 'POST', `/v1/cases/${caseId}/updates`, {
                channel: 'email',
                summary: `update ${updates}`,
              });
      } catch (error) {
        this.failures.push(`no answer: ${(error as Error).message}`);
        continue;
      }
      this.statuses.push(answer.status);
      if (is2xx(answer.status)) {
        caseId ??= answer.body.caseId as string;
        this.acknowledged.push({ caseId, revision: answer.body.revision });
        if (++updates > 4) [caseId, updates] = [null, 0];
      } else if (answer.status === 503) {
        this.unavailable.push(answer);
        // Pace the retries a little, as a client honouring Retry-After would (not to spin).
        await new Promise((r) => setTimeout(r, 50));
      } else {
        this.failures.push(`${answer.status}: ${JSON.stringify(answer.body)}`);
      }
    }
  }
}

type HistoryEntry = { revision: number; type: string; data: Record<string, any> };
const TIMER_ACTIONS = ['SlaWarningRaised', 'SlaBreached', 'UpdateReminderSent', 'EscalatedToManager'];

/** A policy whose clocks run in seconds: warning at 3 s, breach at 6 s, escalation at 8 s. */
function policyFile(dir: string): string {
  const file = join(dir, 'policy.json');
  const severity = { calendar: '24x7', initialResponse: 'PT6S', update: 'PT6S' };
  writeFileSync(
    file,
    JSON.stringify({ ...secondsPolicy('outages'), severities: { A: severity, B: severity, C: severity } }),
  );
  return file;
}

/** A case with an engineer who has a manager: warning, breach, reminder and escalation will all be due. */
async function caseWithEngineer(url: string, suffix: string): Promise<string> {
  expect(
    (
      await call(url, 'POST', '/v1/engineers', {
        engineerId: `m-${suffix}`,
        name: 'M',
        email: 'm@example.com',
        timeZone: 'UTC',
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call(url, 'POST', '/v1/engineers', {
        engineerId: `e-${suffix}`,
        name: 'E',
        email: 'e@example.com',
        managerId: `m-${suffix}`,
        timeZone: 'UTC',
      })
    ).status,
  ).toBe(201);
  // On shift: a severity-A case is only assigned to an engineer on shift.
  expect((await call(url, 'POST', `/v1/engineers/e-${suffix}/availability`, { status: 'on-shift' })).status).toBe(200);
  const submitted = await call(url, 'POST', '/v1/cases', submission());
  expect(submitted.status).toBe(201);
  expect(
    (await call(url, 'POST', `/v1/cases/${submitted.body.caseId}/assignment`, { engineerId: `e-${suffix}` })).status,
  ).toBe(200);
  return submitted.body.caseId;
}

async function history(url: string, caseId: string): Promise<HistoryEntry[]> {
  const answer = await call(url, 'GET', `/v1/cases/${caseId}/history`);
  expect(answer.status).toBe(200);
  return answer.body as HistoryEntry[];
}

/**
 * Two scenarios at a time: each mostly waits (on a server stopping and starting, on SLA clocks due
 * in seconds), but each starts its own servers and service, and starting them all at once would
 * crowd a busy machine.
 */
const lane = limiter(2);

/**
 * Runs `work` in its lane, then what it deferred, last first (stop the service, then its servers,
 * then delete the folder), whether it passed or failed. The scenarios of this file run
 * concurrently (it.concurrent), so each sets up and cleans up inside its own test: jest starts
 * concurrent tests before the beforeAll hooks of their describe blocks would run.
 */
function withCleanup(work: (defer: (cleanup: () => unknown) => void) => Promise<void>): Promise<void> {
  return lane(async () => {
    const cleanups: Array<() => unknown> = [];
    try {
      await work((cleanup) => cleanups.push(cleanup));
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup();
    }
  });
}

describe('role all on PostgreSQL: PostgreSQL stops and starts again under load', () => {
  it.concurrent(
    'the process stays up, answers 503 + Retry-After meanwhile, recovers by itself and loses no acknowledged command',
    () =>
      withCleanup(async (defer) => {
        const dir = mkdtempSync(join(tmpdir(), 'casetrail-pg-outage-'));
        defer(() => rmSync(dir, { recursive: true, force: true }));
        const postgres = await startPrivatePostgres();
        defer(() => postgres.destroy());
        const redis = await startPrivateRedis();
        defer(() => redis.stop());
        const service = await spawnService({
          EVENT_STORE: 'postgres',
          DATABASE_URL: postgres.url,
          REDIS_URL: redis.url,
          DATA_DIR: dir,
          API_KEYS_FILE: writeTestApiKeys(dir),
          SLA_SWEEP_INTERVAL_MS: '1000',
          LOG_LEVEL: 'info',
        });
        defer(() => service.stop().catch(() => undefined));
        const url = service.url;
        const load = new Load(url);
        await waitUntil(
          async () => load.acknowledged.length,
          (n) => n >= 15,
          60_000,
        );
        // The background thread's projections hold their lock before the database goes (they say so
        // once they run): losing it is what this test watches for. Commands are acknowledged before
        // that, and on a loaded machine the database could otherwise go first (the test then timed
        // out waiting for "projections lost their lock").
        await waitUntil(
          async () => service.output().includes('projections running'),
          (running) => running,
          90_000,
        );

        postgres.stop();
        // Commands meet the lost database: 503 with Retry-After, never a 500; /health names it.
        await waitUntil(
          async () => load.unavailable.length,
          (n) => n >= 5,
          90_000, // generous: a loaded 2-core machine (the suite runs three files at once)
        );
        expectUnavailable(load.unavailable[load.unavailable.length - 1]);
        const health = await call(url, 'GET', '/health');
        expect(health.status).toBe(503);
        expect(health.body.dependencies).toMatchObject({
          eventStore: { status: 'down' },
          readModels: { status: 'down' },
          redis: { status: 'up' },
        });
        expectUnavailable(await call(url, 'POST', '/v1/cases', submission()));
        // The background thread meets it too, says so once, and keeps retrying (the process stays).
        // (Which line is missing, if it times out: the log itself is too long for the message.)
        await waitUntil(
          async () => ({
            lockLost: service.output().includes('projections lost their lock'),
            sweepFailed: service.output().includes('SLA timer sweep failed'),
          }),
          (seen) => seen.lockLost && seen.sweepFailed,
          90_000, // generous: a loaded 2-core machine (the suite runs three files at once)
        );
        expect(service.child.exitCode).toBeNull();

        postgres.start();
        // Recovery on its own: commands are acknowledged again, the background work resumes.
        const before = load.acknowledged.length;
        await waitUntil(
          async () => load.acknowledged.length,
          (n) => n >= before + 15,
          60_000,
        );
        const healthy = await waitUntil(
          () => call(url, 'GET', '/health'),
          (answer) => answer.status === 200,
          60_000,
        );
        expect(healthy.body).toMatchObject({ status: 'ok', role: 'all', backgroundThread: { status: 'running' } });
        await load.stop();
        expect(service.child.exitCode).toBeNull();
        expect(load.failures).toEqual([]);
        expect(new Set(load.statuses.filter((s) => !is2xx(s)))).toEqual(new Set([503]));

        // Every acknowledged command is in the store, at the revision it was acknowledged with.
        const byCase = new Map<string, number[]>();
        for (const { caseId, revision } of load.acknowledged)
          byCase.set(caseId, [...(byCase.get(caseId) ?? []), revision]);
        const lastRevision = new Map<string, number>();
        for (const [caseId, revisions] of byCase) {
          const stored = new Set((await history(url, caseId)).map((e) => e.revision));
          for (const revision of revisions)
            expect({ caseId, revision, stored: stored.has(revision) }).toEqual({ caseId, revision, stored: true });
          lastRevision.set(caseId, Math.max(...stored));
        }
        // And the read models catch up with all of it (the projections resumed from their checkpoints).
        const sql = new PgSqlClient(postgres.url, { max: 1 });
        try {
          await waitUntil(
            async () =>
              new Map(
                (
                  await sql.query<{ case_id: string; revision: string }>(
                    'select case_id, revision from rm_cases where case_id = any($1)',
                    [[...byCase.keys()]],
                  )
                ).map((r) => [r.case_id, Number(r.revision)]),
              ),
            (projected) => [...lastRevision].every(([caseId, revision]) => projected.get(caseId) === revision),
            60_000,
          );
        } finally {
          await sql.close();
        }
        const logs = service.output();
        expect(logs).not.toContain('exiting');
        expect(logs).not.toContain('"level":"error","context":"Http"'); // no request failed unexpectedly
      }),
    // 90 s to start the private servers, 360 s for the rest, after waiting for its lane.
    720_000,
  );
});

describe.each(['postgres', 'embedded'] as const)(
  'role all on %s: Redis stops (and comes back empty) while timers come due',
  (store) => {
    it.concurrent(
      'commands and store reads keep working, /health names Redis, and after it every timer action is recorded once (warnings included)',
      () =>
        withCleanup(async (defer) => {
          const dir = mkdtempSync(join(tmpdir(), 'casetrail-redis-outage-'));
          defer(() => rmSync(dir, { recursive: true, force: true }));
          const postgres = store === 'postgres' ? await startPrivatePostgres() : undefined;
          if (postgres) defer(() => postgres.destroy());
          else await seedEmbeddedStore(dir); // an empty cluster ready (first-start initdb is crash-recovery's)
          const redis = await startPrivateRedis();
          defer(() => redis.stop());
          const service = await spawnService(
            {
              ...(postgres ? { EVENT_STORE: 'postgres', DATABASE_URL: postgres.url } : {}),
              REDIS_URL: redis.url,
              DATA_DIR: dir,
              API_KEYS_FILE: writeTestApiKeys(dir),
              SLA_POLICY_FILE: policyFile(dir),
              SLA_SWEEP_INTERVAL_MS: '1000',
              LOG_LEVEL: 'info',
            },
            [],
            120_000,
          ); // a first start of the embedded store creates its database: slow on a busy machine
          defer(() => service.stop().catch(() => undefined));
          const url = service.url;
          const caseIds = [await caseWithEngineer(url, 'r1'), await caseWithEngineer(url, 'r2')];

          await redis.stop();
          await waitUntil(
            async () => (await call(url, 'GET', '/health')).body,
            (body) => body.dependencies?.redis?.status === 'down',
            30_000,
          );
          const health = await call(url, 'GET', '/health');
          expect(health.status).toBe(503);
          expect(health.body.dependencies).toMatchObject({
            eventStore: { status: 'up' },
            readModels: { status: 'up' },
            redis: { status: 'down' },
          });
          // Commands do not need Redis; reads from the store neither.
          caseIds.push(await caseWithEngineer(url, 'r3'));
          expect((await call(url, 'GET', `/v1/cases/${caseIds[0]}`)).status).toBe(200);
          // Every clock passes its warning, its breach and its escalation while Redis is away.
          const escalateAt =
            Math.max(
              ...(await Promise.all(
                caseIds.map(async (id) =>
                  Date.parse((await call(url, 'GET', `/v1/cases/${id}`)).body.sla.initialResponse.dueAt),
                ),
              )),
            ) + 2000;
          await waitUntil(
            async () => Date.now(),
            (now) => now > escalateAt + 500,
            30_000,
          );
          for (const id of caseIds)
            expect((await history(url, id)).filter((e) => TIMER_ACTIONS.includes(e.type))).toEqual([]);
          expect(service.child.exitCode).toBeNull();

          await redis.start();
          // Redis came back without its jobs: the sweep arms them again, and each action happens once.
          for (const caseId of caseIds) {
            await waitUntil(
              () => history(url, caseId),
              (events) => TIMER_ACTIONS.every((type) => events.some((e) => e.type === type)),
              60_000,
            );
          }
          // Time for any duplicate to show (two sweeps and the timers' retries).
          await waitUntil(
            async () => (await call(url, 'GET', '/health')).status,
            (status) => status === 200,
            30_000,
          );
          const settled = Date.now() + 3000;
          await waitUntil(
            async () => Date.now(),
            (now) => now > settled,
            10_000,
          );
          for (const caseId of caseIds) {
            const events = await history(url, caseId);
            const clock = events.find((e) => e.type === 'SlaClockStarted')!.data;
            for (const type of TIMER_ACTIONS) {
              expect({ caseId, type, count: events.filter((e) => e.type === type).length }).toEqual({
                caseId,
                type,
                count: 1,
              });
            }
            // The warning carries its true instant, whenever it was recorded.
            expect(events.find((e) => e.type === 'SlaWarningRaised')!.data).toMatchObject({
              clockId: clock.clockId,
              warnAt: clock.warnAt,
            });
          }
          // The alerts feed (a projection) has each case's warning and breach once.
          const alerts = await waitUntil(
            async () => (await call(url, 'GET', '/v1/alerts')).body.items as Array<{ caseId: string; kind: string }>,
            (items) =>
              caseIds.every((id) =>
                ['warning', 'breach'].every((kind) => items?.some((a) => a.caseId === id && a.kind === kind)),
              ),
            30_000,
          );
          for (const caseId of caseIds) {
            expect(alerts.filter((a) => a.caseId === caseId && a.kind === 'warning')).toHaveLength(1);
          }
          expect(service.child.exitCode).toBeNull();
        }),
      // 90 s to start the private servers, 180 s for the rest, after waiting for its lane (<= 450 s).
      720_000,
    );
  },
);
