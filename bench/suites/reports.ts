/**
 * Suite 8: what-if and compliance reports (issue 16). Per size, a schema of its own is filled with
 * random case histories made by the real case decider under the built-in policy (business
 * calendars, holidays; breach and auto-resume timers firing on time: libs/domain/case/testing/
 * random-history.ts), ~10 events per case, appended through the store one append per case.
 * Then:
 * - agreement: runWhatIf with the policy in force as the proposed one must reproduce exactly the
 *   recorded breaches (checked; the suite fails otherwise; printed in the note);
 * - what-if: runWhatIf over the whole store (every event read once, in pages, in one process)
 *   with a tighter proposed policy. Reported: seconds, events/s, RSS growth; after (idle cases'
 *   replays let go, small caches) and before (`baseline`: every case's replays kept), in that
 *   order, a GC before each when node runs with --expose-gc (BENCH_NODE_ARGS=--expose-gc).
 * - report: the sla-outcomes projection built by a ProjectionRunner, then GET /v1/reports/sla's
 *   query (slaReport, from the stored sums) asked 200 times (100 at 1M) over the whole range,
 *   rotating groupBy none / severity / partner / engineer / product / month; p50/p99 latency;
 *   and before: the former query over every row (reports-baseline.ts), 40 times (20 at 1M).
 */
import { randomUUID } from 'node:crypto';
import { randomCaseHistory, seededRandom } from '../../libs/domain/case/testing/random-history';
import { DEFAULT_SLA_POLICY } from '../../libs/domain/sla/policy';
import { compareCheckpoints } from '../../libs/event-store/checkpoint';
import { createPostgresEventStore } from '../../libs/event-store/sql/create-sql-event-store';
import { storedData } from '../../libs/events/event-parser';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { ProjectionRunner } from '../../libs/projections/projection-runner';
import { REPORT_GROUPS, ReportGroup, slaReport } from '../../libs/reports/compliance/sla-report.query';
import { slaOutcomesProjection } from '../../libs/reports/sla-outcomes/sla-outcomes.projection';
import { memoizedCalculator } from '../../libs/reports/what-if/memoized-calculator';
import { runWhatIf, WhatIfProgress } from '../../libs/reports/what-if/what-if.service';
import { SlaPolicyService } from '../../libs/sla/sla-policy.service';
import { log, Metric } from '../support/metrics';
import { benchDatabaseUrl, createSchema } from '../support/pg';
import { mib, sampleRss, sizeLabel, sleep, summarize } from '../support/stats';
import { reportPartial, schemaName, SuiteTask } from '../support/suite';
import { exactRowsReport } from './reports-baseline';

const SUITE = '8. What-if and SLA reports';
const DAY = 24 * 3600_000;

export async function reportsSuite(task: SuiteTask): Promise<Metric[]> {
  const metrics: Metric[] = [];
  for (const size of task.sizes) {
    metrics.push(...(await oneSize(task, size)));
    reportPartial(metrics);
  }
  return metrics;
}

async function oneSize(task: SuiteTask, size: number): Promise<Metric[]> {
  const at = sizeLabel(size);
  const scope = `reports ${at}`;
  const schema = schemaName(task, 'reports', at);
  await createSchema(schema);
  const store = await createPostgresEventStore(benchDatabaseUrl(), { schema, poolSize: 8 });
  const metrics: Metric[] = [];
  try {
    const policy = new SlaPolicyService(DEFAULT_SLA_POLICY);
    const endMs = Date.now() - DAY;
    const startMs = endMs - 180 * DAY;
    await policy.record(store, new Date(startMs - DAY).toISOString());
    const clocks = memoizedCalculator(policy.calculator);
    const random = seededRandom(size);
    const engineers = Array.from({ length: 50 }, (_, i) => ({ engineerId: `e-${i}`, managerId: `m-${i % 5}` }));

    // Data: cases until `size` events, 8 appends in flight.
    const generated = performance.now();
    let events = 0;
    let cases = 0;
    let breaches = 0;
    let lastLog = generated;
    const nextCase = () => {
      if (events >= size) return null;
      const caseId = randomUUID();
      const history = randomCaseHistory({
        caseId,
        partnerId: `p-${cases % 200}`,
        engineers,
        startMs: startMs + Math.floor(random() * 175 * 24 * 60) * 60_000,
        endMs,
        commands: 2 + Math.floor(random() * 5),
        random,
        clocks,
      });
      events += history.length;
      cases++;
      breaches += history.filter((h) => h.event.type === 'SlaBreached').length;
      return { caseId, history };
    };
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let c = nextCase(); c; c = nextCase()) {
          await store.append(
            `case-${c.caseId}`,
            c.history.map(({ event, now }) => ({
              id: randomUUID(),
              type: event.type,
              data: storedData(event),
              metadata: { actor: 'support-1', occurredAt: now, correlationId: randomUUID(), causationId: null },
            })),
            'no_stream',
          );
          if (performance.now() - lastLog > 10_000) {
            lastLog = performance.now();
            log(scope, `${events.toLocaleString('en-US')} events, ${cases.toLocaleString('en-US')} cases written`);
          }
        }
      }),
    );
    log(
      scope,
      `${events.toLocaleString('en-US')} events (${cases.toLocaleString('en-US')} cases, ${breaches} breaches recorded) in ${((performance.now() - generated) / 1000).toFixed(0)} s`,
    );
    await store.sql.exec('analyze ct_events; analyze ct_streams');

    // Item 3 of the issue on this store: the what-if under the policy in force reproduces the recorded breaches.
    const same = await runWhatIf(store, {
      policy: JSON.parse(JSON.stringify(DEFAULT_SLA_POLICY)),
      source: 'bench',
      asOf: new Date(endMs).toISOString(),
      changesLimit: 10,
    });
    const a = same.agreement;
    const agreement = `what-if under the policy in force: ${a.casesCompared} cases compared, ${a.replayedBreaches} breaches replayed, ${a.recordedBreaches} recorded (${breaches} SlaBreached events), ${a.mismatchCount} disagreements, ${a.pendingTimers} pending timers, ${same.newlyBreached.clocks + same.noLongerBreached.clocks} changes`;
    log(scope, agreement);
    if (a.mismatchCount !== 0 || a.recordedBreaches !== breaches || same.changes.length !== 0) {
      throw new Error(
        `the what-if under the policy in force disagrees with the recorded breaches: ${agreement} ${JSON.stringify(a.mismatches.slice(0, 5))}`,
      );
    }

    // What-if: a tighter initial response for B and C.
    const proposed = JSON.parse(JSON.stringify(DEFAULT_SLA_POLICY));
    proposed.version = 'bench-tighter';
    proposed.severities.B.initialResponse = 'PT1H';
    proposed.severities.C.initialResponse = 'PT2H';
    const gc = (globalThis as { gc?: () => void }).gc;
    const progress = (label: string) => (p: WhatIfProgress) => {
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(
          scope,
          `what-if ${label}: ${p.events.toLocaleString('en-US')} events read, ${p.cases.toLocaleString('en-US')} cases`,
        );
      }
    };
    /** One what-if over the whole store: seconds and RSS growth (peak - start). */
    const measureWhatIf = async (label: string, baseline: boolean) => {
      gc?.();
      const rss = sampleRss(50);
      const t0 = performance.now();
      const result = await runWhatIf(
        store,
        { policy: proposed, source: 'bench', asOf: new Date(endMs).toISOString(), changesLimit: 1000 },
        progress(label),
        { baseline },
      );
      const seconds = (performance.now() - t0) / 1000;
      const memory = rss.stop();
      const growth = mib(memory.peak - memory.first);
      const heapGrowth = mib(memory.heapPeak - memory.heapFirst);
      log(
        scope,
        `what-if ${label} over ${events} events in ${seconds.toFixed(1)} s (${Math.round(events / seconds)} events/s); newly breached ${result.newlyBreached.clocks}, no longer ${result.noLongerBreached.clocks}; RSS ${mib(memory.first).toFixed(0)} -> peak ${mib(memory.peak).toFixed(0)} MiB (+${growth.toFixed(0)}); heap used ${mib(memory.heapFirst).toFixed(0)} -> peak ${mib(memory.heapPeak).toFixed(0)} MiB (+${heapGrowth.toFixed(0)})`,
      );
      return { result, seconds, growth, heapGrowth };
    };
    const after = await measureWhatIf('after', false);
    const before = await measureWhatIf('before', true);
    if (JSON.stringify(after.result) !== JSON.stringify(before.result))
      throw new Error('the what-if letting go of idle cases answers differently from the one keeping them');
    const result = after.result;
    const seconds = after.seconds;
    metrics.push(
      {
        suite: SUITE,
        key: 'reports.what-if.seconds',
        label: "What-if over the whole store (tighter policy vs each case's own): seconds",
        unit: 's',
        size: at,
        value: seconds,
        goal: { op: '<=', target: 60, text: '< 60 s at 1M' },
        note: `What-if ${at}: ${events.toLocaleString('en-US')} events of ${cases.toLocaleString('en-US')} random cases (real decider, built-in policy, punctual timers); ${result.newlyBreached.clocks} clocks newly breached under the tighter policy. Agreement: ${agreement}. Before (every case's replays kept): ${before.seconds.toFixed(1)} s, RSS +${before.growth.toFixed(0)} MiB.`,
      },
      {
        suite: SUITE,
        key: 'reports.what-if.seconds-before',
        label: 'What-if before (every case kept to the end): seconds',
        unit: 's',
        size: at,
        value: before.seconds,
      },
      {
        suite: SUITE,
        key: 'reports.what-if.rate',
        label: 'What-if: events/s',
        unit: '/s',
        size: at,
        value: events / seconds,
      },
      {
        suite: SUITE,
        key: 'reports.what-if.rss',
        label: 'What-if: RSS growth during the run (peak − start)',
        unit: 'MiB',
        size: at,
        value: after.growth,
      },
      {
        suite: SUITE,
        key: 'reports.what-if.heap',
        label: 'What-if: JS heap growth during the run (peak − start, after a GC)',
        unit: 'MiB',
        size: at,
        value: after.heapGrowth,
      },
      {
        suite: SUITE,
        key: 'reports.what-if.heap-before',
        label: 'What-if before: JS heap growth during the run (peak − start, after a GC)',
        unit: 'MiB',
        size: at,
        value: before.heapGrowth,
      },
      {
        suite: SUITE,
        key: 'reports.what-if.rss-before',
        label: 'What-if before: RSS growth during the run (peak − start)',
        unit: 'MiB',
        size: at,
        value: before.growth,
      },
    );

    // The sla-outcomes read model, as the service's runner builds it.
    const runner = new ProjectionRunner(store, store.sql, [slaOutcomesProjection], new JsonLogger('warn'), {
      pollIntervalMs: 20,
    });
    await runner.migrate();
    const head = (await store.headCheckpoint()) as string;
    const p0 = performance.now();
    await runner.start();
    for (;;) {
      const checkpoint = (await runner.checkpoints()).get('sla-outcomes') ?? null;
      if (compareCheckpoints(checkpoint, head) >= 0) break;
      await sleep(50);
    }
    await runner.stop();
    const projectSeconds = (performance.now() - p0) / 1000;
    await store.sql.exec('analyze rm_sla_outcomes; analyze rm_sla_outcome_cases');
    metrics.push({
      suite: SUITE,
      key: 'reports.project.rate',
      label: 'sla-outcomes projection from the first event: events/s',
      unit: '/s',
      size: at,
      value: events / projectSeconds,
    });

    const groups: Array<ReportGroup | undefined> = [undefined, ...REPORT_GROUPS];
    const now = new Date(endMs).toISOString();
    /** p50/p99 of `runs` queries one at a time, after `warm` warm-up ones, groupBy rotating. */
    const latency = async (
      label: string,
      warm: number,
      runs: number,
      query: (groupBy: ReportGroup | undefined) => Promise<unknown>,
    ) => {
      // From a collected heap, as a service's would be (this process holds the what-ifs' garbage).
      gc?.();
      for (let i = 0; i < warm; i++) await query(groups[i % groups.length]);
      const latencies: number[] = [];
      const slowest = new Map<string, number>();
      for (let i = 0; i < runs; i++) {
        const q0 = performance.now();
        await query(groups[i % groups.length]);
        const ms = performance.now() - q0;
        latencies.push(ms);
        const g = groups[i % groups.length] ?? 'none';
        slowest.set(g, Math.max(slowest.get(g) ?? 0, ms));
      }
      log(
        scope,
        `report ${label}: slowest per groupBy ${[...slowest].map(([g, ms]) => `${g} ${ms.toFixed(0)} ms`).join(', ')}`,
      );
      return summarize(latencies.sort((x, y) => x - y));
    };
    const runs = size >= 1_000_000 ? 100 : 200;
    const runsBefore = size >= 1_000_000 ? 20 : 40;
    const s = await latency('after', 6, runs, (groupBy) => slaReport(store.sql, { now, groupBy }));
    const sBefore = await latency('before', 2, runsBefore, (groupBy) => exactRowsReport(store.sql, now, groupBy));
    // Both count the same: every case, and the same breaches.
    const report = await slaReport(store.sql, { now });
    const exact = await exactRowsReport(store.sql, now, undefined);
    if (report.totals.cases !== cases || exact.cases !== cases || report.totals.breached !== exact.breached)
      throw new Error(
        `the report counts ${report.totals.cases} cases and ${report.totals.breached} breaches, the rows ${exact.cases} and ${exact.breached}; ${cases} cases were written`,
      );
    const [{ n: totalsRows }] = await store.sql.query<{ n: string }>(
      'select count(*)::text as n from rm_sla_outcome_totals',
    );
    log(
      scope,
      `report over ${cases} cases: p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms (before, over every row: p50 ${sBefore.p50.toFixed(1)} ms, p99 ${sBefore.p99.toFixed(1)} ms); ${totalsRows} stored sums`,
    );
    metrics.push(
      {
        suite: SUITE,
        key: 'reports.report.p99',
        label:
          'GET /v1/reports/sla query over every case (groupBy rotating none/severity/partner/engineer/product/month): p99',
        unit: 'ms',
        size: at,
        value: s.p99,
        goal: { op: '<=', target: 200, text: '< 200 ms at 100k cases' },
        note: `Report ${at}: ${cases.toLocaleString('en-US')} cases, ${totalsRows} rows of stored sums; ${runs} queries after 6 warm-up ones, one at a time, the query of the route (slaReport) on the read model. Before (the former query over every row, exact percentiles): p50 ${sBefore.p50.toFixed(0)} ms, p99 ${sBefore.p99.toFixed(0)} ms over ${runsBefore} queries.`,
      },
      { suite: SUITE, key: 'reports.report.p50', label: 'Report query: p50', unit: 'ms', size: at, value: s.p50 },
      {
        suite: SUITE,
        key: 'reports.report.p99-before',
        label: 'Report query before (every row aggregated per request): p99',
        unit: 'ms',
        size: at,
        value: sBefore.p99,
      },
      {
        suite: SUITE,
        key: 'reports.report.p50-before',
        label: 'Report query before: p50',
        unit: 'ms',
        size: at,
        value: sBefore.p50,
      },
      { suite: SUITE, key: 'reports.cases', label: 'Cases in the data set', unit: '', size: at, value: cases },
    );
    return metrics;
  } finally {
    await store.close();
  }
}
