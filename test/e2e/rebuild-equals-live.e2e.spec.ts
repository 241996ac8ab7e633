import { startTestService, TestService } from '../support/test-service';
import { submission } from '../support/case-requests';
import { CaseAction } from '../../libs/cases/case-commands';
import { CaseCommandService } from '../../libs/cases/case-command.service';
import { EngineerCommandService } from '../../libs/engineers/engineer-command.service';
import { ProjectionRebuilder } from '../../libs/projections/rebuild/projection-rebuilder';
import { ProjectionRunner } from '../../libs/projections/projection-runner';
import { ALL_PROJECTIONS } from '../../libs/projections/read-models/all-projections';
import { EVENT_STORE, READ_MODEL_SQL } from '../../libs/platform/tokens';
import { SqlClient } from '../../libs/event-store/sql/sql-client';
import { EventStore } from '../../libs/event-store/event-store';
import { CommandMetadata } from '../../libs/platform/commanding/command-metadata';

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const SNAPSHOTS: Record<string, string> = {
  rm_cases: 'select * from rm_cases order by case_id',
  rm_engineers: 'select * from rm_engineers order by engineer_id',
  rm_engineer_cases: 'select * from rm_engineer_cases order by case_id',
  // seq is a sequence: compare the alerts in seq order, not the numbers themselves.
  rm_alerts: 'select alert_id, kind, case_id, severity, occurred_at, alert from rm_alerts order by seq',
  rm_alert_cases: 'select * from rm_alert_cases order by case_id',
  // The SLA report's read model: its sums per day and month, kept live by deltas, equal a rebuild's.
  rm_sla_outcome_cases: 'select case_id, revision, state::text from rm_sla_outcome_cases order by case_id',
  rm_sla_outcome_totals:
    'select period, start, dim, value, totals::text from rm_sla_outcome_totals order by 1, 2, 3, 4',
};

describe('a rebuild from the first event yields the live read models, row for row', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ store: 'postgres' });
  });
  afterAll(() => service.close());

  it('after thousands of random commands on many cases', async () => {
    const app = service.service.app;
    const commands = app.get(CaseCommandService);
    const engineerCommands = app.get(EngineerCommandService);
    const sql = app.get<SqlClient>(READ_MODEL_SQL);
    const store = app.get<EventStore>(EVENT_STORE);
    const next = random(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const meta = (name: string): CommandMetadata => ({
      principal: { name, role: 'support' },
      correlationId: `c-${next()}`,
      causationId: null,
    });

    const engineers = ['e-1', 'e-2', 'e-3', 'e-4', 'e-5', 'e-6'];
    await engineerCommands.register(
      { engineerId: 'm-1', name: 'M', email: 'm@example.com', timeZone: 'UTC' },
      meta('admin'),
    );
    for (const id of engineers) {
      await engineerCommands.register(
        { engineerId: id, name: id, email: `${id}@example.com`, managerId: 'm-1', timeZone: 'UTC' },
        meta('admin'),
      );
    }
    const caseIds: string[] = [];
    for (let i = 0; i < 120; i++) {
      const outcome = await commands.submit(
        {
          ...(submission({
            proposedSeverity: pick(['A', 'B', 'C', undefined]),
            partnerAvailable24x7: next() < 0.7,
            product: pick(['office365', 'intune', 'parature']),
          }) as any),
          customerId: 'c-1',
        },
        meta('portal'),
      );
      caseIds.push(outcome.state!.caseId);
    }
    const actions = (): CaseAction => {
      const by = 'support-1';
      switch (
        pick([
          'severity',
          'availability',
          'assign',
          'update',
          'update',
          'escalate',
          'call',
          'resolve',
          'close',
          'reopen',
        ])
      ) {
        case 'severity':
          return { type: 'AssignSeverity', data: { severity: pick(['A', 'B', 'C'] as const), reason: 'triage', by } };
        case 'availability':
          return { type: 'SetPartnerAvailability', data: { available24x7: next() < 0.5, by } };
        case 'assign':
          return { type: 'AssignEngineer', data: { engineerId: pick(engineers), by } };
        case 'update':
          return {
            type: 'LogUpdate',
            data: { channel: pick(['email', 'phone', 'portal'] as const), summary: 'progress', by },
          };
        case 'escalate':
          return { type: 'Escalate', data: { reason: 'no answer', by } };
        case 'call':
          return { type: 'SeverityACall', data: { caller: 'partner', by } };
        case 'resolve':
          return { type: 'ResolveCase', data: { summary: 'fixed', by } };
        case 'close':
          return { type: 'CloseCase', data: { by } };
        default:
          return { type: 'ReopenCase', data: { reason: 'still broken', by } };
      }
    };
    let accepted = 0;
    let refused = 0;
    const worker = async (n: number) => {
      for (let i = 0; i < n; i++) {
        if (next() < 0.02) {
          await engineerCommands.changeAvailability(
            pick(engineers),
            pick(['on-shift', 'off-shift', 'away'] as const),
            meta('dispatch'),
          );
        }
        try {
          await commands.execute(pick(caseIds), actions(), meta('support-1'));
          accepted++;
        } catch {
          refused++; // a command that makes no sense in the case's state: part of the mix
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, () => worker(500)));
    expect(accepted + refused).toBe(4000);
    expect(accepted).toBeGreaterThan(1000);

    // Let the live projections catch up with everything written.
    const runner = app.get(ProjectionRunner);
    // The last event stored (a reader may not see it yet while any older transaction is open).
    const head = (await store.headCheckpoint!())!;
    const deadline = Date.now() + 30_000;
    while (
      !(await runner.hasReached(
        head,
        ALL_PROJECTIONS.map((p) => p.name),
      ))
    ) {
      if (Date.now() > deadline) throw new Error('live projections did not catch up');
      await new Promise((r) => setTimeout(r, 50));
    }
    const live: Record<string, unknown[]> = {};
    for (const [table, query] of Object.entries(SNAPSHOTS)) live[table] = await sql.query(query);
    expect(live.rm_cases.length).toBe(120);
    expect(live.rm_alerts.length).toBeGreaterThanOrEqual(0);
    expect(live.rm_sla_outcome_totals.length).toBeGreaterThan(20);

    await new ProjectionRebuilder(store, sql, ALL_PROJECTIONS).rebuild();

    for (const [table, query] of Object.entries(SNAPSHOTS)) {
      expect({ table, rows: await sql.query(query) }).toEqual({ table, rows: live[table] });
    }
  }, 180_000);
});

describe('POST /v1/admin/projections/{name}/rebuild (embedded store: the service rebuilds in-process)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  it('rebuilds in the background, shows progress, and the read model is unchanged', async () => {
    let position = '';
    for (let i = 0; i < 5; i++)
      position = (await service.request('POST', '/v1/cases', { body: submission() })).body.position;
    const before = await service.request('GET', `/v1/cases?consistentWith=${position}`);
    expect(before.body.items).toHaveLength(5);

    expect((await service.request('POST', '/v1/admin/projections/cases/rebuild', { key: 'support' })).status).toBe(403);
    expect((await service.request('POST', '/v1/admin/projections/nope/rebuild', { key: 'admin' })).status).toBe(400);
    const started = await service.request('POST', '/v1/admin/projections/cases/rebuild', { key: 'admin' });
    expect(started.status).toBe(202);
    const deadline = Date.now() + 20_000;
    let rebuild: any;
    do {
      await new Promise((r) => setTimeout(r, 100));
      const status = await service.request('GET', '/v1/admin/projections', { key: 'admin' });
      rebuild = status.body.items.find((p: { name: string }) => p.name === 'cases').rebuild;
    } while (rebuild?.state === 'running' && Date.now() < deadline);
    expect(rebuild).toMatchObject({ state: 'done', result: { projection: 'cases' } });
    const after = await service.request('GET', '/v1/cases');
    expect(after.body.items).toEqual(before.body.items);
  }, 60_000);
});
