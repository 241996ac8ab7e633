import { randomUUID } from 'node:crypto';
import { appendCaseHistory } from '../support/case-histories';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomCaseHistory, seededRandom } from '../../libs/domain/case/testing/random-history';
import { DEFAULT_SLA_POLICY } from '../../libs/domain/sla/policy';
import { SqlEventStore } from '../../libs/event-store/sql/sql-event-store';
import { SlaPolicyService } from '../../libs/sla/sla-policy.service';
import { runCli } from '../support/cli-process';
import { createSchemaEventStore, testDatabaseUrl } from '../support/test-database';
import { withSearchPath } from '../support/test-service';

jest.setTimeout(180_000);

/** `what-if` and `report` as real processes on a PostgreSQL store of random histories. */
describe('npm run cli -- what-if / report', () => {
  let store: SqlEventStore;
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-what-if-'));
  let breaches = 0;
  let cases = 0;

  beforeAll(async () => {
    ({ store, cleanup } = await createSchemaEventStore('cli_reports', 2));
    const schema = (await store.sql.query<{ s: string }>('select current_schema() as s'))[0].s;
    env = { EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(testDatabaseUrl(), schema) };
    const policy = new SlaPolicyService(DEFAULT_SLA_POLICY);
    await policy.record(store, '2026-09-01T00:00:00.000Z');
    const random = seededRandom(7);
    for (let i = 0; i < 40; i++) {
      const caseId = randomUUID();
      const startMs = Date.parse('2026-09-07T08:00:00Z') + i * 36 * 3600_000;
      const history = randomCaseHistory({
        caseId,
        partnerId: `p-${i % 2}`,
        engineers: [{ engineerId: 'e-1', managerId: 'm-1' }],
        startMs,
        endMs: Date.parse('2026-11-20T00:00:00Z'),
        commands: 8,
        random,
        clocks: policy.calculator,
      });
      breaches += history.filter((h) => h.event.type === 'SlaBreached').length;
      cases++;
      await appendCaseHistory(store, caseId, history);
    }
    writeFileSync(
      join(dir, 'tighter.json'),
      JSON.stringify({
        ...DEFAULT_SLA_POLICY,
        version: 'tighter',
        severities: {
          ...DEFAULT_SLA_POLICY.severities,
          B: { calendar: 'business', initialResponse: 'PT15M', update: { businessDays: 1 } },
        },
      }),
    );
    writeFileSync(join(dir, 'current.json'), JSON.stringify(DEFAULT_SLA_POLICY));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...DEFAULT_SLA_POLICY, warnAt: 7, version: '' }));
  });
  afterAll(async () => {
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('what-if --format json: the replay under the current policy agrees with the recorded breaches; progress on stderr', async () => {
    const current = await runCli(['what-if', '--policy', join(dir, 'current.json'), '--format', 'json'], env);
    expect(current.stderr).toMatch(/what-if: done, \d+ events read, 40 cases replayed/);
    expect(current.code).toBe(0);
    const same = JSON.parse(current.stdout);
    expect(same.cases).toBe(cases);
    expect(same.agreement).toMatchObject({ casesCompared: cases, recordedBreaches: breaches, mismatchCount: 0 });
    expect(same.changes).toEqual([]);
    const run = await runCli(['what-if', '--policy', join(dir, 'tighter.json'), '--format', 'json'], env);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.proposedPolicy.version).toBe('tighter');
    expect(result.newlyBreached.clocks).toBeGreaterThan(0);
    expect(result.newlyBreached.clocks).toBe(result.changes.filter((c: any) => c.change === 'newly-breached').length);
  });

  it('what-if --format csv lists the changed clocks; table is the default; --partner filters', async () => {
    const csv = await runCli(
      ['what-if', '--policy', join(dir, 'tighter.json'), '--format=csv', '--from', '2026-09-01T00:00:00Z'],
      env,
    );
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'caseId,reference,partnerId,clockId,clock,change,currentSeverity,currentDueAt,currentOutcome,proposedSeverity,proposedDueAt,proposedOutcome',
    );
    const table = await runCli(['what-if', '--policy', join(dir, 'tighter.json'), '--partner', 'p-1'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/over 20 cases/);
    expect(table.stdout).toMatch(/newly breached: \d+ clocks/);
  });

  it('refuses an invalid policy file naming every problem (exit 1), and bad usage (exit 2)', async () => {
    const bad = await runCli(['what-if', '--policy', join(dir, 'bad.json')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('version: must be a non-empty string');
    expect(bad.stderr).toContain('warnAt: must be a number strictly between 0 and 1');
    expect((await runCli(['what-if'], env)).code).toBe(2);
    expect((await runCli(['report', '--group-by', 'colour'], env)).code).toBe(2);
  });

  it('report prints the compliance report after `rebuild sla-outcomes`; totals agree with the events', async () => {
    const rebuilt = await runCli(['rebuild', 'sla-outcomes'], env);
    expect(rebuilt.code).toBe(0);
    const json = await runCli(['report', '--format', 'json', '--group-by', 'partner'], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.totals.cases).toBe(cases);
    expect(report.groups.map((g: any) => g.group)).toEqual(['p-0', 'p-1']);
    // Running clocks past due now count as breached: at least the recorded breaches.
    expect(report.totals.breached).toBeGreaterThanOrEqual(breaches);
    const csv = await runCli(['report', '--format', 'csv', '--group-by', 'severity'], env);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^group,cases,clocks,met,breached,stopped,open,onTimePct,/);
    const table = await runCli(['report'], env);
    expect(table.stdout).toMatch(/^group\s+cases\s+clocks/);
  });
});
