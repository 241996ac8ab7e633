import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent } from '../../libs/event-store/event-store';
import { createPostgresEventStore } from '../../libs/event-store/sql/create-sql-event-store';
import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';
import { SqlEventStore } from '../../libs/event-store/sql/sql-event-store';
import { testDatabaseUrl } from '../support/test-database';
import { withSearchPath } from '../support/test-service';
import { runCli } from '../support/cli-process';
import { seedEmbeddedStore } from '../support/pglite-template';

const at = (iso: string, type: string, data: Record<string, unknown> = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { actor: 'support-1', occurredAt: iso, correlationId: randomUUID(), causationId: null },
});

const ndjson = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('npm run cli -- (usage, preview)', () => {
  // --help itself prints the usage on stdout and exits 0 (cli-help.e2e.spec.ts).
  it('prints the usage on stderr and exits 2 for no command and an unknown command', async () => {
    for (const args of [[], ['frobnicate']]) {
      const run = await runCli(args, {});
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('usage: npm run cli -- <command>');
      expect(run.stderr).toContain('rebuild [projection]');
    }
    expect((await runCli(['frobnicate'], {})).stderr).toContain('casetrail frobnicate: unknown command "frobnicate"');
  });

  it('preview prints the clocks of the policy in force as JSON', async () => {
    const run = await runCli(
      ['preview', '--severity', 'A', '--from', '2026-11-14T03:00:00Z', '--time-zone', 'Europe/Paris'],
      {},
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      policyVersion: 'default-2026-11',
      policyHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      initialResponse: { dueAt: '2026-11-14T04:00:00.000Z', warnAt: '2026-11-14T03:45:00.000Z' },
      update: { dueAt: '2026-11-14T05:00:00.000Z', warnAt: '2026-11-14T04:30:00.000Z' },
    });
    // Business time in Paris with French holidays: Friday 16:30 (UTC+1) + 2 h is Monday 10:30.
    const b = await runCli(
      ['preview', '--severity=B', '--from=2026-11-13T16:30:00+01:00', '--time-zone=Europe/Paris', '--country=FR'],
      {},
    );
    expect(JSON.parse(b.stdout).initialResponse.dueAt).toBe('2026-11-16T09:30:00.000Z');
  });

  it("preview --region counts the region's holidays too (NSW Labour Day), and checks region and zone", async () => {
    // Friday 2 October 2026 16:30 in Sydney + 2 business hours: Monday 10:30, or Tuesday 10:30 in NSW.
    const base = [
      'preview',
      '--severity=B',
      '--from=2026-10-02T16:30:00+10:00',
      '--time-zone=Australia/Sydney',
      '--country=AU',
    ];
    expect(JSON.parse((await runCli(base, {})).stdout).initialResponse.dueAt).toBe('2026-10-04T23:30:00.000Z');
    const nsw = await runCli([...base, '--region=NSW'], {});
    expect(nsw.code).toBe(0);
    expect(JSON.parse(nsw.stdout).initialResponse.dueAt).toBe('2026-10-05T23:30:00.000Z');
    const bad = await runCli(
      [
        'preview',
        '--severity=B',
        '--from=2026-10-02T16:30:00+10:00',
        '--time-zone=Australia/Sydney',
        '--country=FR',
        '--region=NSW',
      ],
      {},
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--region must be a region of --country');
    expect(bad.stderr).toContain('--time-zone Australia/Sydney is not a time zone of FR');
  });

  it('preview uses SLA_POLICY_FILE, and names every bad argument (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casetrail-cli-'));
    try {
      const file = join(dir, 'policy.json');
      writeFileSync(
        file,
        JSON.stringify({
          version: 'fast-2027',
          warnAt: 0.5,
          escalateAfterOverdue: 'PT1H',
          businessCalendar: { week: { mon: ['09:00-17:00'] }, publicHolidays: false, closedDates: [] },
          severities: {
            A: { calendar: '24x7', initialResponse: 'PT30M', update: 'PT1H' },
            B: { calendar: 'business', initialResponse: 'PT2H', update: { businessDays: 1 } },
            C: { calendar: 'business', initialResponse: 'PT4H', update: { businessDays: 3 } },
          },
        }),
      );
      const run = await runCli(['preview', '--severity', 'A', '--from', '2026-11-14T03:00:00Z', '--time-zone', 'UTC'], {
        SLA_POLICY_FILE: file,
      });
      expect(JSON.parse(run.stdout)).toMatchObject({
        policyVersion: 'fast-2027',
        initialResponse: { dueAt: '2026-11-14T03:30:00.000Z', warnAt: '2026-11-14T03:15:00.000Z' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const bad = await runCli(
      ['preview', '--severity', 'D', '--from', 'yesterday', '--time-zone', 'Mars/Base', '--country', 'XX'],
      {},
    );
    expect(bad.code).toBe(2);
    const line = bad.stderr.split('\n')[0];
    for (const option of ['--severity', '--from', '--time-zone', '--country']) expect(line).toContain(option);
  });
});

describe('npm run cli -- verify | export, on PostgreSQL', () => {
  const schema = `ct_test_cli_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const env = { EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(testDatabaseUrl(), schema) };
  let admin: PgSqlClient;
  let store: SqlEventStore;
  const caseId = randomUUID();
  const otherCaseId = randomUUID();
  const caseEvents = [
    at('2026-11-10T09:00:00.000Z', 'CaseSubmitted', { caseId }),
    at('2026-11-10T09:05:00.000Z', 'SeverityAssigned', { caseId, severity: 'B' }),
    at('2026-11-11T12:00:00.000Z', 'UpdateSent', { caseId, channel: 'email' }),
  ];
  const otherEvents = [
    at('2026-11-10T10:00:00.000Z', 'CaseSubmitted', { caseId: otherCaseId }),
    at('2026-11-12T00:00:00.000Z', 'CaseClosed', { caseId: otherCaseId }),
  ];
  const engineerEvents = [
    at('2026-11-09T08:00:00.000Z', 'EngineerRegistered', {
      engineerId: 'eng-1',
      name: 'Ada',
      email: 'ada@example.com',
      timeZone: 'Europe/Paris',
    }),
    at('2026-11-11T11:59:59.999Z', 'EngineerAvailabilityChanged', { engineerId: 'eng-1', status: 'on-shift' }),
  ];

  beforeAll(async () => {
    admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
    await admin.exec(`create schema ${schema}`);
    store = await createPostgresEventStore(testDatabaseUrl(), { schema, poolSize: 2 });
    await store.append(`engineer-eng-1`, [engineerEvents[0]], 'no_stream');
    await store.append(`case-${caseId}`, caseEvents.slice(0, 2), 'no_stream');
    await store.append(`case-${otherCaseId}`, [otherEvents[0]], 'no_stream');
    await store.append(`engineer-eng-1`, [engineerEvents[1]], 0);
    await store.append(`case-${caseId}`, [caseEvents[2]], 1);
    await store.append(`case-${otherCaseId}`, [otherEvents[1]], 0);
  });
  afterAll(async () => {
    await store.close();
    await admin.exec(`drop schema ${schema} cascade`);
    await admin.close();
  });

  it('export --case writes the case stream as NDJSON, one event per line', async () => {
    const run = await runCli(['export', '--case', caseId], env);
    expect(run.code).toBe(0);
    const stored = await store.readStream(`case-${caseId}`);
    expect(ndjson(run.stdout)).toEqual(
      stored.map((e, i) => ({
        streamId: `case-${caseId}`,
        revision: i,
        position: e.position,
        eventId: caseEvents[i].id,
        type: caseEvents[i].type,
        data: caseEvents[i].data,
        metadata: caseEvents[i].metadata,
      })),
    );
  });

  it('export --from --to writes every event whose occurredAt is in [from, to), in the all-events order', async () => {
    const run = await runCli(['export', '--from', '2026-11-10T09:05:00Z', '--to', '2026-11-11T12:00:00.000Z'], env);
    expect(run.code).toBe(0);
    const lines = ndjson(run.stdout);
    // 09:05 is in (from is inclusive), 12:00 is out (to is exclusive), 11:59:59.999 is in.
    expect(lines.map((l) => l.eventId)).toEqual([caseEvents[1].id, otherEvents[0].id, engineerEvents[1].id]);
    expect(lines[2]).toMatchObject({ streamId: 'engineer-eng-1', revision: 1, type: 'EngineerAvailabilityChanged' });
    // An offset is an instant like any other: 10:00+01:00 is 09:00Z.
    const offset = await runCli(['export', '--from=2026-11-10T10:00:00+01:00', '--to=2026-11-10T10:00:00+01:00'], env);
    expect(offset.code).toBe(2);
    const one = await runCli(['export', '--from=2026-11-10T10:00:00+01:00', '--to=2026-11-10T10:00:00.001+01:00'], env);
    expect(ndjson(one.stdout).map((l) => l.eventId)).toEqual([caseEvents[0].id]);
  });

  it('export refuses an unknown case (exit 1) and bad arguments (exit 2) on stderr', async () => {
    const unknown = await runCli(['export', '--case', randomUUID()], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^casetrail export: no case [0-9a-f-]+ \(stream case-[0-9a-f-]+ has no events\)\n$/);
    for (const args of [
      ['export'],
      ['export', '--from', '2026-11-10T00:00:00Z'],
      ['export', '--from', 'monday', '--to', '2026-11-10T00:00:00Z'],
      ['export', '--cases', 'x'],
    ]) {
      const run = await runCli(args, env);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^casetrail export: /);
    }
  });

  it('verify passes an intact store, then names exactly the event altered in place (exit 1)', async () => {
    const intact = await runCli(['verify'], env);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toBe('verified 7 events in 3 streams\n');

    const target = caseEvents[1];
    const tampered = await admin.query<{ position: string }>(
      `update ${schema}.ct_events set data = jsonb_set(data, '{x}', '1') where event_id = $1 returning global_position::text as position`,
      [target.id],
    );
    const run = await runCli(['verify'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `stream case-${caseId} revision 1, event ${target.id} at position ${tampered[0].position}:`,
    );
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('npm run cli -- verify on EventStoreDB', () => {
  it('says that the store keeps no hash chain and exits 2', async () => {
    const run = await runCli(['verify'], {
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false',
      DATABASE_URL: testDatabaseUrl(),
    });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'casetrail verify: verification is not supported by the eventstoredb event store (it keeps no hash chain)\n',
    });
  });
});

describe('npm run cli -- on the embedded store', () => {
  it('runs on its own DATA_DIR, and refuses in one line while the service holds it', async () => {
    const dataDir = await seedEmbeddedStore(mkdtempSync(join(tmpdir(), 'casetrail-cli-')));
    try {
      const free = await runCli(['verify'], { DATA_DIR: dataDir });
      expect(free).toMatchObject({ code: 0, stdout: 'verified 0 events in 0 streams\n' });

      // A live process holds the pid file (this jest worker stands in for the running service).
      writeFileSync(join(dataDir, 'casetrail.pid'), String(process.pid));
      for (const command of ['verify', 'rebuild']) {
        const run = await runCli([command], { DATA_DIR: dataDir });
        expect(run.code).toBe(1);
        expect(run.stderr).toBe(
          `casetrail ${command}: The embedded store in ${dataDir} is in use by process ${process.pid}: stop the service first (the embedded store opens in one process at a time; on PostgreSQL the command runs beside the service)\n`,
        );
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
