/**
 * Suite 3: projection rebuild. The dataset (one schema per size, made by main.ts) is filled with
 * generated cases (bench/support/case-events.ts: real commands through the case decider, 10
 * events per case, appended through the store), then a ProjectionRunner builds every read model
 * of ALL_PROJECTIONS from the first event into that fresh schema (no suffix: the schema is new),
 * exactly as the service's runner does (batches of 500, one transaction per batch with its
 * checkpoint). Reported: events/s (events in the store / time until every projection's checkpoint
 * is the last event's), and this process's peak RSS sampled every 50 ms.
 * Afterwards (not measured in the headline figure) the SLA scheduler's table is caught up too, so
 * suites 5 and 6 find a service's worth of caught-up checkpoints.
 */
import { compareCheckpoints } from '../../libs/event-store/checkpoint';
import { createPostgresEventStore } from '../../libs/event-store/sql/create-sql-event-store';
import { SqlEventStore } from '../../libs/event-store/sql/sql-event-store';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { Projection } from '../../libs/projections/projection';
import { ProjectionRunner } from '../../libs/projections/projection-runner';
import { ALL_PROJECTIONS } from '../../libs/projections/read-models/all-projections';
import { slaTimersProjection } from '../../libs/sla-timers/sla-timers.projection';
import { EVENTS_PER_CASE, loadCaseEvents } from '../support/case-events';
import { profileWindow } from '../support/diagnostics';
import { describeCpu, measureCpu } from '../support/cpu';
import { log, Metric } from '../support/metrics';
import { benchDatabaseUrl } from '../support/pg';
import { mib, sampleRss, sizeLabel, sleep } from '../support/stats';
import { SuiteTask } from '../support/suite';

const SUITE = '3. Projection rebuild';

export async function projectionsSuite(task: SuiteTask): Promise<Metric[]> {
  const size = task.sizes[0];
  const at = sizeLabel(size);
  const scope = `projections ${at}`;
  const schema = task.params.schema as string;
  const store = await createPostgresEventStore(benchDatabaseUrl(), { schema, poolSize: 12 });
  const metrics: Metric[] = [];
  try {
    const cases = Math.max(1, Math.round(size / EVENTS_PER_CASE));
    log(
      scope,
      `generating ${cases.toLocaleString('en-US')} cases through the case decider, appending them through the store`,
    );
    const loaded = await loadCaseEvents(store, task.runId, cases, { concurrency: 8, scope });
    log(
      scope,
      `${loaded.events.toLocaleString('en-US')} events written in ${loaded.seconds.toFixed(1)} s (${Math.round(loaded.events / loaded.seconds)} events/s)`,
    );
    metrics.push({
      suite: SUITE,
      key: 'projections.generate',
      label: 'Data generation: decide + append (10 events/case, one append per case): events/s',
      unit: '/s',
      size: at,
      value: loaded.events / loaded.seconds,
      note: 'Data: real commands through the case decider (SubmitCase, AssignSeverity, AssignEngineer, LogUpdate x3 = 10 events per open case), appended through SqlEventStore with 8 appends in flight; plus 55 engineer streams.',
    });
    const last = await lastCheckpoint(store);
    // Settle: let autovacuum/analyze of the fresh tables not land inside the measurement.
    await store.sql.exec('analyze ct_events; analyze ct_streams');

    const rebuild = await rebuildAll(store, ALL_PROJECTIONS, last, scope, 'rebuild');
    const rate = loaded.events / rebuild.seconds;
    log(
      scope,
      `rebuilt ${ALL_PROJECTIONS.map((p) => p.name).join(', ')} in ${rebuild.seconds.toFixed(1)} s = ${Math.round(rate)} events/s; RSS ${mib(rebuild.rss.first).toFixed(0)} -> peak ${mib(rebuild.rss.peak).toFixed(0)} MiB; ${describeCpu(rebuild.cpu)}`,
    );
    metrics.push(
      {
        suite: SUITE,
        key: 'projections.rebuild',
        label: `Rebuild ${ALL_PROJECTIONS.map((p) => p.name).join(' + ')} from the first event: events/s`,
        unit: '/s',
        size: at,
        value: rate,
        goal: { op: '>=', target: 30000, text: '≥ 30,000/s' },
        note: `Rebuild: one ProjectionRunner with ALL_PROJECTIONS, as the service runs them (batches of 500, each applied with its checkpoint in one transaction), into a fresh schema; events/s = events stored / time until every checkpoint reached the last event.`,
      },
      {
        suite: SUITE,
        key: 'projections.rss.peak',
        label: 'Rebuild: peak RSS of the rebuilding process',
        unit: 'MiB',
        size: at,
        value: mib(rebuild.rss.peak),
      },
      {
        suite: SUITE,
        key: 'projections.rss.growth',
        label: 'Rebuild: RSS growth during the rebuild (peak − start)',
        unit: 'MiB',
        size: at,
        value: mib(rebuild.rss.peak - rebuild.rss.first),
        goal: { op: '<=', target: 100, text: 'flat (< 100 MiB)' },
      },
      {
        suite: SUITE,
        key: 'projections.cpu.pg',
        label: 'Rebuild: PostgreSQL cores busy (of 2)',
        unit: 'cores',
        size: at,
        value: rebuild.cpu.postgres,
        note: `Rebuild ${at}: ${describeCpu(rebuild.cpu)}`,
      },
    );

    // As autovacuum would soon after: fresh statistics for the read models that suite 5 queries
    // (right after a rebuild the planner still believes the tables empty; see BENCHMARKS.md).
    for (const projection of ALL_PROJECTIONS)
      for (const table of projection.tables) await store.sql.exec(`analyze ${table}`);

    // The SLA scheduler's checkpoint too, so that the service started on this dataset (suites 5, 6)
    // has nothing to replay. Its table is rebuilt for real up to 100k events; beyond, the
    // checkpoint is set directly (its one-statement-per-timer rebuild would take minutes: see
    // BENCHMARKS.md) and the table stays empty.
    if (size <= 100_000) {
      const timers = await rebuildAll(store, [slaTimersProjection], last, scope, 'sla-timers');
      metrics.push({
        suite: SUITE,
        key: 'projections.sla-timers',
        label: "Rebuild sla-timers (the SLA scheduler's table, no jobs): events/s",
        unit: '/s',
        size: at,
        value: loaded.events / timers.seconds,
      });
      log(
        scope,
        `sla-timers table rebuilt in ${timers.seconds.toFixed(1)} s (${Math.round(loaded.events / timers.seconds)} events/s)`,
      );
    } else {
      const runner = new ProjectionRunner(store, store.sql, [slaTimersProjection], new JsonLogger('warn'));
      await runner.migrate();
      await store.sql.query(
        `insert into ct_projections (name, checkpoint, position, events_applied) values ('sla-timers', $1, $2, $3)
         on conflict (name) do update set checkpoint = excluded.checkpoint, position = excluded.position`,
        [last, last.split(':')[1], loaded.events],
      );
      log(scope, 'sla-timers checkpoint set to the last event (table left empty)');
    }
    return metrics;
  } finally {
    await store.close();
  }
}

async function lastCheckpoint(store: SqlEventStore): Promise<string> {
  return (await store.headCheckpoint()) as string;
}

async function rebuildAll(store: SqlEventStore, projections: Projection[], last: string, scope: string, name: string) {
  const runner = new ProjectionRunner(store, store.sql, projections, new JsonLogger('warn'), { pollIntervalMs: 20 });
  const rss = sampleRss(50);
  const cpu = measureCpu();
  const started = performance.now();
  let lastLog = started;
  await profileWindow(`${name}-${scope.replace(/\s+/g, '-')}`, async () => {
    await runner.start();
    for (;;) {
      const checkpoints = await runner.checkpoints();
      if ([...checkpoints.values()].every((c) => compareCheckpoints(c, last) >= 0)) break;
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(scope, `${name}: ${[...checkpoints].map(([n, c]) => `${n} at ${c ?? '-'}`).join(', ')} (target ${last})`);
      }
      await sleep(20);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const split = cpu.stop();
  const memory = rss.stop();
  await runner.stop();
  return { seconds, rss: memory, cpu: split };
}
