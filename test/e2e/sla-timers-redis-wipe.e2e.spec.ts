import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startTestService, TestService } from '../support/test-service';
import { engineerWithManager } from '../support/case-fixtures';
import { secondsPolicy, submission, waitUntil } from '../support/case-requests';

// FLUSHDB wipes a whole Redis database: this file has database 9 to itself, so parallel test
// files (database 0, own key prefixes) are never touched.
const REDIS_URL = 'redis://127.0.0.1:6379/9';

describe('a Redis wipe loses no SLA timer', () => {
  let service: TestService;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casetrail-policy-'));
    const policyFile = join(dir, 'policy.json');
    // Long enough that the wipe happens while every timer is still pending.
    writeFileSync(
      policyFile,
      JSON.stringify({
        ...secondsPolicy('wipe'),
        autoResumeAfter: 'PT5S',
        severities: Object.fromEntries(
          ['A', 'B', 'C'].map((s) => [s, { calendar: '24x7', initialResponse: 'PT6S', update: 'PT6S' }]),
        ),
      }),
    );
    service = await startTestService({
      env: { SLA_POLICY_FILE: policyFile, REDIS_URL, SLA_SWEEP_INTERVAL_MS: '1000' },
    });
  });
  afterAll(() => service.close());

  it('FLUSHDB while timers are pending: the sweep re-creates them and each fires once', async () => {
    const { engineerId } = await engineerWithManager(service, 'wipe');
    const caseId = (await service.request('POST', '/v1/cases', { body: submission() })).body.caseId;
    await service.request('POST', `/v1/cases/${caseId}/assignment`, { body: { engineerId } });

    const redis = new Redis(REDIS_URL);
    try {
      // The scheduler has put the clock's three jobs in Redis...
      await waitUntil(
        () => redis.keys(`${service.redisPrefix}:sla-timers:${caseId}.*`),
        (keys) => keys.length >= 3,
      );
      // ...then everything in the database goes.
      await redis.flushdb();
      expect(await redis.keys(`${service.redisPrefix}:*`)).toEqual([]);
      // The sweep (every second here) brings them back from the events.
      await waitUntil(
        () => redis.keys(`${service.redisPrefix}:sla-timers:${caseId}.*`),
        (keys) => keys.length >= 3,
      );
    } finally {
      redis.disconnect();
    }

    const history = await waitUntil(
      async () => (await service.request<Array<{ type: string }>>('GET', `/v1/cases/${caseId}/history`)).body,
      (events) => events.some((e) => e.type === 'EscalatedToManager'),
      20_000,
    );
    await new Promise((r) => setTimeout(r, 2500));
    const types = (await service.request<Array<{ type: string }>>('GET', `/v1/cases/${caseId}/history`)).body.map(
      (e) => e.type,
    );
    expect(history.length).toBeGreaterThan(0);
    for (const type of ['SlaWarningRaised', 'SlaBreached', 'UpdateReminderSent', 'EscalatedToManager']) {
      expect(types.filter((t) => t === type)).toHaveLength(1);
    }
  }, 40_000);

  it('FLUSHDB while a clock is paused: its auto-resume comes back, it resumes once, and its moved breach fires once', async () => {
    const caseId = (await service.request('POST', '/v1/cases', { body: submission() })).body.caseId;
    const waiting = await service.request('POST', `/v1/cases/${caseId}/awaiting-partner`, {
      body: { reason: 'third-party', summary: 'Waiting on the carrier' },
    });
    expect(waiting.status).toBe(200);
    const clockId = waiting.body.nextUpdate.clockId;
    const autoResume = `${service.redisPrefix}:sla-timers:${caseId}.${clockId}.g1.auto-resume`;

    const redis = new Redis(REDIS_URL);
    try {
      await waitUntil(
        () => redis.exists(autoResume),
        (n) => n === 1,
      );
      await redis.flushdb();
      await waitUntil(
        () => redis.exists(autoResume),
        (n) => n === 1,
      );
    } finally {
      redis.disconnect();
    }

    type Entry = { type: string; data: Record<string, any> };
    const read = async () => (await service.request<Entry[]>('GET', `/v1/cases/${caseId}/history`)).body;
    await waitUntil(
      read,
      (events) => events.some((e) => e.type === 'SlaBreached' && e.data.clockId === clockId),
      25_000,
    );
    await new Promise((r) => setTimeout(r, 2500));
    const events = await read();
    const resumed = events.filter((e) => e.type === 'SlaClockResumed');
    expect(resumed).toHaveLength(1);
    expect(resumed[0].data).toMatchObject({ clockId, cause: 'auto-resume' });
    const breaches = events.filter((e) => e.type === 'SlaBreached' && e.data.clockId === clockId);
    expect(breaches).toHaveLength(1);
    expect(breaches[0].data.dueAt).toBe(resumed[0].data.dueAt);
  }, 45_000);
});
