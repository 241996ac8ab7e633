import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN_JS, spawnService, ServiceProcess } from '../support/service-process';
import { seedEmbeddedStore } from '../support/pglite-template';
import { deleteRedisKeys, TEST_KEYS, TestService, writeTestApiKeys } from '../support/test-service';
import { engineerWithManager } from '../support/case-fixtures';
import { secondsPolicy, submission, waitUntil } from '../support/case-requests';
import { promtoolCheck, sample } from '../support/metrics-text';

type Line = Record<string, any>;

/**
 * The built service in role `all`: HTTP in the main thread, projections and timers in a worker
 * thread with a prom-client registry of its own. The thread's log lines reach stdout as JSON, and
 * its metrics reach /metrics (merged with the HTTP thread's), once.
 */
describe('role all: the background thread logs and counts, and /metrics shows both threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-obs-thread-'));
  const prefix = `ct-test-obs-${randomUUID().slice(0, 8)}`;
  let service: ServiceProcess;
  const lines = (): Line[] =>
    service
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
  const client = () =>
    ({
      async request(
        method: string,
        path: string,
        { key = 'support', body }: { key?: keyof typeof TEST_KEYS; body?: unknown } = {},
      ) {
        const response = await fetch(service.url + path, {
          method,
          headers: {
            authorization: `Bearer ${TEST_KEYS[key]}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
      },
    }) as unknown as TestService;
  const metrics = async () => {
    const response = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${TEST_KEYS.ops}` } });
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(secondsPolicy('obs-thread')));
    await seedEmbeddedStore(dir);
    service = await spawnService({
      DATA_DIR: dir,
      API_KEYS_FILE: writeTestApiKeys(dir),
      REDIS_PREFIX: prefix,
      SLA_POLICY_FILE: policyFile,
      LOG_LEVEL: 'info',
    });
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await deleteRedisKeys('redis://127.0.0.1:6379', prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a breach: one JSON line from the thread, one count on /metrics, timer commands in the command metrics; promtool passes', async () => {
    expect(lines().find((l) => l.msg === 'casetrail started')).toMatchObject({
      level: 'info',
      context: 'Startup',
      role: expect.stringContaining('worker thread'),
    });
    const http = client();
    const { engineerId } = await engineerWithManager(http, 'obsthread');
    const submitted = await http.request('POST', '/v1/cases', { body: submission() });
    expect(submitted.status).toBe(201);
    const caseId = submitted.body.caseId as string;
    expect((await http.request('POST', `/v1/cases/${caseId}/assignment`, { body: { engineerId } })).status).toBe(200);

    const ofCase = (msg: string) => lines().filter((l) => l.msg === msg && l.caseId === caseId);
    await waitUntil(
      async () => ofCase('case escalated to the manager').length,
      (n) => n > 0,
      40_000,
    );
    expect(ofCase('SLA breached')).toHaveLength(1);
    expect(ofCase('SLA breached')[0]).toMatchObject({ level: 'warn', kind: 'breach', severity: 'A' });

    const text = await metrics();
    expect(sample(text, 'casetrail_sla_alerts_total', { kind: 'breach', severity: 'A' })).toBe(1);
    expect(sample(text, 'casetrail_sla_timer_actions_total', { action: 'breach', outcome: 'recorded' })).toBe(1);
    expect(
      sample(text, 'casetrail_command_duration_seconds_count', { command: 'RecordSlaBreach', outcome: 'ok' }),
    ).toBe(1);
    // Commands of the HTTP thread, in the same family.
    expect(sample(text, 'casetrail_command_duration_seconds_count', { command: 'SubmitCase', outcome: 'ok' })).toBe(1);
    // Process metrics once (the HTTP thread's), not once per thread.
    expect(text.match(/^process_cpu_user_seconds_total /gm)).toHaveLength(1);
    expect(text.match(/^# TYPE casetrail_command_duration_seconds /gm)).toHaveLength(1);
    expect(text).toMatch(
      /^casetrail_http_request_duration_seconds_count\{method="POST",route="\/v1\/cases",status="201"\} 1$/m,
    );
    // Access lines are JSON on stdout too.
    expect(lines().filter((l) => l.msg === 'request' && l.route === '/v1/cases' && l.method === 'POST')).toHaveLength(
      1,
    );

    const check = promtoolCheck(text);
    if (!check)
      return console.warn(
        'promtool is not installed here (Debian package "prometheus"): `promtool check metrics` skipped',
      );
    expect(check).toEqual({ code: 0, output: '' });
  }, 90_000);

  it('SIGTERM: a JSON line when stopping and one when stopped', async () => {
    await service.stop();
    const process = lines().filter((l) => l.context === 'Process');
    expect(process.map((l) => l.msg)).toEqual(['stopping on SIGTERM', 'stopped']);
  }, 60_000);
});

describe('a fatal start-up error', () => {
  it('is one line on stderr for the operator and one JSON line on stdout for the log shipper', () => {
    const run = spawnSync(process.execPath, [MAIN_JS], {
      env: {
        PATH: process.env.PATH,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'casetrail-obs-fail-')),
        PORT: '0',
        REDIS_URL: 'redis://127.0.0.1:1',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    const json = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(json.filter((l) => l.level === 'error')).toEqual([
      expect.objectContaining({
        context: 'Startup',
        msg: 'start-up failed; exiting',
        errorType: 'DependencyError',
        error: expect.stringContaining('Redis is unreachable'),
      }),
    ]);
  }, 30_000);
});
