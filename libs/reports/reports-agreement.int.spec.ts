import { randomUUID } from 'node:crypto';
import { CaseEvent } from '../domain/case/case.events';
import { randomCaseHistory, seededRandom } from '../domain/case/testing/random-history';
import { DEFAULT_SLA_POLICY } from '../domain/sla/policy';
import { SlaPolicyError } from '../domain/sla/sla-errors';
import { SqlEventStore } from '../event-store/sql/sql-event-store';
import { storedData } from '../events/event-parser';
import { SlaPolicyService } from '../sla/sla-policy.service';
import { createSchemaEventStore } from '../../test/support/test-database';
import { slaReport } from './compliance/sla-report.query';
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
      await store.append(
        `case-${caseId}`,
        history.map(({ event, now }) => ({
          id: randomUUID(),
          type: event.type,
          data: storedData(event),
          metadata: { actor: 'support:alice', occurredAt: now, correlationId: randomUUID(), causationId: null },
        })),
        'no_stream',
      );
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
    expect(progress.length).toBeGreaterThan(1);
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
});
