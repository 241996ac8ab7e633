import { randomUUID } from 'node:crypto';
import { appendCaseHistory } from '../../test/support/case-histories';
import { CaseEvent } from '../domain/case/case.events';
import { randomCaseHistory, seededRandom } from '../domain/case/testing/random-history';
import { DEFAULT_SLA_POLICY } from '../domain/sla/policy';
import { SlaPolicyError } from '../domain/sla/sla-errors';
import { SqlEventStore } from '../event-store/sql/sql-event-store';
import { SlaPolicyService } from '../sla/sla-policy.service';
import { createSchemaEventStore } from '../../test/support/test-database';
import { slaReport } from './compliance/sla-report.query';
import { PROJECTION_CHECKPOINTS_SQL } from '../projections/projection-checkpoints';
import { slaOutcomesProjection } from './sla-outcomes/sla-outcomes.projection';
import { runWhatIf, WhatIfTimeoutError } from './what-if/what-if.service';

jest.setTimeout(300_000);

const DAY = 24 * 3600_000;
const START = Date.parse('2026-08-03T00:00:00.000Z');
const END = Date.parse('2026-11-30T00:00:00.000Z');
const AS_OF = new Date(END).toISOString();

/**
 * A store filled by a few thousand random commands through the real decider (built-in policy,
 * business calendars, holidays; breach and auto-resume timers firing on time), then: the what-if
 * under the current policy equals the recorded breaches, and the compliance report's totals equal
 * counts made directly over the stored events.
 */
describe('what-if and compliance report agree with the recorded events (PostgreSQL store)', () => {
  let store: SqlEventStore;
  let cleanup: () => Promise<void>;
  const policy = new SlaPolicyService(DEFAULT_SLA_POLICY);
  const events: CaseEvent[] = [];
  let commands = 0;

  beforeAll(async () => {
    ({ store, cleanup } = await createSchemaEventStore('reports', 4));
    await policy.record(store, new Date(START - DAY).toISOString());
    const random = seededRandom(1616);
    const engineers = [1, 2, 3].map((i) => ({ engineerId: `e-${i}`, managerId: 'm-1' }));
    for (let i = 0; i < 400; i++) {
      const caseId = randomUUID();
      const startMs = START + Math.floor(random() * 100 * 24 * 60) * 60_000;
      const n = 4 + Math.floor(random() * 12);
      commands += n + 1;
      const history = randomCaseHistory({
        caseId,
        partnerId: `p-${i % 5}`,
        engineers,
        startMs,
        endMs: END,
        commands: n,
        random,
        clocks: policy.calculator,
      });
      events.push(...history.map((h) => h.event));
      await appendCaseHistory(store, caseId, history);
    }
    await store.sql.exec(slaOutcomesProjection.schema(''));
    let after: string | null = null;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 500 });
      if (page.events.length === 0) break;
      await store.sql.transaction((tx) => slaOutcomesProjection.apply(tx, page.events, ''));
      after = page.checkpoint;
    }
  });

  afterAll(async () => cleanup?.());

  const count = (type: CaseEvent['type']) => events.filter((e) => e.type === type).length;

  it('the what-if under the current policy reproduces exactly the breaches the live system recorded', async () => {
    expect(commands).toBeGreaterThan(3000);
    const recorded = count('SlaBreached');
    expect(recorded).toBeGreaterThan(100);
    const progress: number[] = [];
    const result = await runWhatIf(
      store,
      { policy: JSON.parse(JSON.stringify(DEFAULT_SLA_POLICY)), source: 'test', asOf: AS_OF },
      (p) => progress.push(p.events),
    );
    // Progress after every page (of 5000 events), the last one counting every stored event.
    const [{ n: stored }] = await store.sql.query<{ n: string }>('select count(*)::text as n from ct_events');
    expect(progress.length).toBe(Math.ceil(Number(stored) / 5000));
    expect(progress[progress.length - 1]).toBe(Number(stored));
    expect(result.cases).toBe(400);
    expect(result.agreement.mismatches).toEqual([]);
    expect(result.agreement).toMatchObject({
      casesCompared: 400,
      recordedBreaches: recorded,
      replayedBreaches: recorded,
      pendingTimers: 0,
      mismatchCount: 0,
    });
    expect(result.current.breached).toBe(recorded);
    expect(result.changes).toEqual([]);
    expect(result.proposed).toEqual(result.current);
  });

  it('a tighter proposed policy only adds breaches here, each named with both due instants', async () => {
    const tighter = JSON.parse(JSON.stringify(DEFAULT_SLA_POLICY));
    tighter.version = 'tighter';
    tighter.severities.A.initialResponse = 'PT15M';
    tighter.severities.B.initialResponse = 'PT30M';
    tighter.severities.C.initialResponse = 'PT1H';
    const result = await runWhatIf(store, { policy: tighter, source: 'test', asOf: AS_OF });
    expect(result.newlyBreached.clocks).toBeGreaterThan(0);
    expect(result.proposed.breached).toBeGreaterThan(result.current.breached);
    for (const change of result.changes.filter((c) => c.change === 'newly-breached')) {
      expect(Date.parse(change.proposed.dueAt)).toBeLessThanOrEqual(Date.parse(change.current.dueAt));
      expect(change.clock).toBe('initialResponse');
    }
    const sum = (side: 'current' | 'proposed') =>
      ['A', 'B', 'C'].reduce((n, s) => n + result.bySeverity[s as 'A'][side].breached, 0);
    expect(sum('proposed')).toBe(result.proposed.breached);
    expect(sum('current')).toBe(result.current.breached);
  });

  it('a run yields its thread between slices of replay, and gives up at its deadline', async () => {
    const request = { policy: JSON.parse(JSON.stringify(DEFAULT_SLA_POLICY)), source: 'test', asOf: AS_OF };
    // Timers of others (an HTTP request's, say) run while the replay goes on, not only between pages.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    let pages = 0;
    try {
      await runWhatIf(store, request, () => pages++, { sliceMs: 1 });
    } finally {
      clearInterval(ticker);
    }
    expect(ticks).toBeGreaterThan(pages * 3);

    const error = await runWhatIf(store, request, undefined, { deadline: performance.now() + 5 }).catch((e) => e);
    expect(error).toBeInstanceOf(WhatIfTimeoutError);
  });

  it('an invalid proposed policy is refused with every problem named, as at start', async () => {
    const bad = { ...JSON.parse(JSON.stringify(DEFAULT_SLA_POLICY)), warnAt: 2, escalateAfterOverdu: 'PT1H' };
    delete bad.escalateAfterOverdue;
    const error = await runWhatIf(store, { policy: bad, source: 'request body', asOf: AS_OF }).catch((e) => e);
    expect(error).toBeInstanceOf(SlaPolicyError);
    expect((error as SlaPolicyError).errors.map((e) => e.field).sort()).toEqual([
      'escalateAfterOverdu',
      'escalateAfterOverdue',
      'warnAt',
    ]);
  });

  it("the report's totals equal counts over the events", async () => {
    const report = await slaReport(store.sql, { now: AS_OF });
    const breached = new Set<string>();
    let met = 0;
    for (const e of events) {
      if (e.type === 'SlaBreached') breached.add(`${e.data.caseId}/${e.data.clockId}`);
      if (
        e.type === 'UpdateSent' &&
        e.data.meetsClockId !== null &&
        !breached.has(`${e.data.caseId}/${e.data.meetsClockId}`)
      )
        met++;
    }
    const chains = events.filter((e) => e.type === 'SlaClockStarted' && e.data.replacesClockId === null).length;
    const t = report.totals;
    expect(t.cases).toBe(count('CaseSubmitted'));
    expect(t.clocks).toBe(chains);
    expect(t.breached).toBe(count('SlaBreached'));
    expect(t.met).toBe(met);
    expect(t.escalations).toBe(count('EscalatedToManager'));
    expect(t.met + t.breached + t.stopped + t.open).toBe(t.clocks);
    const resumed = events.filter((e) => e.type === 'SlaClockResumed');
    expect(t.pausedMs).toBe(resumed.reduce((n, e) => n + (e.type === 'SlaClockResumed' ? e.data.pausedMs : 0), 0));
    expect(t.firstResponseMs.median).toBeGreaterThan(0);

    for (const groupBy of ['severity', 'partner', 'engineer', 'product', 'month'] as const) {
      const grouped = await slaReport(store.sql, { now: AS_OF, groupBy });
      expect(grouped.totals).toEqual(t);
      for (const field of ['cases', 'clocks', 'met', 'breached', 'stopped', 'open', 'escalations'] as const) {
        expect(grouped.groups.reduce((n, g) => n + g[field], 0)).toBe(t[field]);
      }
    }
    const partner = await slaReport(store.sql, { now: AS_OF, partnerId: 'p-1', groupBy: 'partner' });
    expect(partner.groups.map((g) => g.group)).toEqual(['p-1']);
    expect(partner.totals.cases).toBe(
      events.filter((e) => e.type === 'CaseSubmitted' && e.data.partnerId === 'p-1').length,
    );
    expect(partner.totals.breached).toBe(
      events.filter(
        (e) =>
          e.type === 'SlaBreached' &&
          events.some(
            (s) => s.type === 'CaseSubmitted' && s.data.caseId === e.data.caseId && s.data.partnerId === 'p-1',
          ),
      ).length,
    );
  });

  it('percentiles are bucketed: within 2.2% (plus half a second) of the exact ones over the rows', async () => {
    const [exact] = await store.sql.query<Record<string, number | null>>(
      `select percentile_disc(0.5) within group (order by answer_ms) filter (where clock = 'initialResponse') as fr_median,
              percentile_disc(0.9) within group (order by answer_ms) filter (where clock = 'initialResponse') as fr_p90,
              percentile_disc(0.5) within group (order by answer_ms) filter (where clock = 'nextUpdate') as up_median,
              percentile_disc(0.9) within group (order by answer_ms) filter (where clock = 'nextUpdate') as up_p90,
              (select percentile_disc(0.5) within group (order by resolution_ms) from rm_sla_outcome_cases) as res_median,
              (select percentile_disc(0.9) within group (order by resolution_ms) from rm_sla_outcome_cases) as res_p90
         from rm_sla_outcomes`,
    );
    const t = (await slaReport(store.sql, { now: AS_OF })).totals;
    const pairs: Array<[number | null, number | null]> = [
      [t.firstResponseMs.median, exact.fr_median],
      [t.firstResponseMs.p90, exact.fr_p90],
      [t.betweenUpdatesMs.median, exact.up_median],
      [t.betweenUpdatesMs.p90, exact.up_p90],
      [t.resolutionMs.median, exact.res_median],
      [t.resolutionMs.p90, exact.res_p90],
    ];
    for (const [bucketed, exactMs] of pairs) {
      expect(exactMs).not.toBeNull();
      expect(Math.abs(Number(bucketed) - Number(exactMs))).toBeLessThanOrEqual(Number(exactMs) * 0.022 + 500);
    }
  });

  it('any range adds up: whole months, whole days and the edges of days agree with each case counted alone', async () => {
    const ranges: Array<{ from?: string; to?: string }> = [
      {},
      { from: '2026-09-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }, // whole months
      { from: '2026-08-17T13:27:00.000Z', to: '2026-10-09T08:05:00.000Z' }, // months, days and edges
      { from: '2026-09-03T00:00:00.000Z', to: '2026-09-20T00:00:00.000Z' }, // days within a month
      { from: '2026-09-10T06:00:00.000Z', to: '2026-09-10T18:00:00.000Z' }, // part of one day
      { from: '2026-10-15T12:00:00.000Z' },
      { to: '2026-09-15T12:00:00.000Z' },
    ];
    const submitted = events.filter((e) => e.type === 'CaseSubmitted');
    for (const range of ranges) {
      const inRange = (at: string) =>
        (range.from === undefined || at >= range.from) && (range.to === undefined || at < range.to);
      const whole = await slaReport(store.sql, { now: AS_OF, ...range });
      expect([range, whole.totals.cases]).toEqual([range, submitted.filter((e) => inRange(e.data.at)).length]);
      // A partner's report is made from its cases one by one (no stored sums): the partners add up to the whole.
      const sum = { cases: 0, clocks: 0, met: 0, breached: 0, stopped: 0, open: 0, pausedMs: 0, escalations: 0 };
      for (let p = 0; p < 5; p++) {
        const own = (await slaReport(store.sql, { now: AS_OF, ...range, partnerId: `p-${p}` })).totals;
        for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += own[k];
      }
      expect([range, sum]).toEqual([range, expect.objectContaining(sum)]);
      expect([range, whole.totals]).toEqual([range, expect.objectContaining(sum)]);
      const byMonth = await slaReport(store.sql, { now: AS_OF, ...range, groupBy: 'month' });
      expect(byMonth.totals).toEqual(whole.totals);
      expect(byMonth.groups.reduce((n, g) => n + g.clocks, 0)).toBe(whole.totals.clocks);
    }
  });

  it('rebuilt in other batches (and with batches delivered twice), the stored sums are the same', async () => {
    const suffix = '_again';
    await store.sql.exec(slaOutcomesProjection.schema(suffix));
    let after: string | null = null;
    for (let n = 1; ; n++) {
      const page = await store.readAll({ after, maxCount: 37 + (n % 5) * 50 });
      if (page.events.length === 0) break;
      await store.sql.transaction((tx) => slaOutcomesProjection.apply(tx, page.events, suffix));
      if (n % 3 === 0) await store.sql.transaction((tx) => slaOutcomesProjection.apply(tx, page.events, suffix));
      after = page.checkpoint;
    }
    const rows = (s: string) =>
      store.sql.query(
        `select period, start::text, dim, value, totals::text from rm_sla_outcome_totals${s} order by 1, 2, 3, 4`,
      );
    const live = await rows('');
    expect(live.length).toBeGreaterThan(100);
    expect(await rows(suffix)).toEqual(live);
  });

  it('a read model made before the sums existed is refilled from the first event at the next start', async () => {
    const suffix = '_old';
    await store.sql.exec(PROJECTION_CHECKPOINTS_SQL);
    await store.sql.exec(slaOutcomesProjection.schema(suffix));
    const page = await store.readAll({ after: null, maxCount: 200 });
    await store.sql.transaction((tx) => slaOutcomesProjection.apply(tx, page.events, suffix));
    await store.sql.query(
      `insert into ct_projections (name, checkpoint, position) values ('sla-outcomes_old', $1, '1')`,
      [page.checkpoint],
    );
    // As the tables were before this change: no sums.
    await store.sql.exec('drop table rm_sla_outcome_totals_old');
    await store.sql.exec(slaOutcomesProjection.schema(suffix));
    expect(await store.sql.query('select case_id from rm_sla_outcome_cases_old')).toEqual([]);
    expect(await store.sql.query(`select name from ct_projections where name = 'sla-outcomes_old'`)).toEqual([]);
    // A start with the sums in place keeps everything.
    await store.sql.transaction((tx) => slaOutcomesProjection.apply(tx, page.events, suffix));
    await store.sql.exec(slaOutcomesProjection.schema(suffix));
    expect((await store.sql.query('select case_id from rm_sla_outcome_cases_old')).length).toBeGreaterThan(0);
  });
});
