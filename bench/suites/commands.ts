/**
 * Suite 1: commands over HTTP. The real service (startService, role `all`: HTTP, projections, SLA
 * scheduler and timer worker in one process, as `npm start` runs it) on PostgreSQL or on the
 * embedded store; 32 closed-loop clients post updates to 1,000 open cases that
 * have a severity and an engineer, alternating with the practical limit measured beside it (the
 * bare route: bench/baseline/bare-route.ts), both under one load generator in its own process.
 * Each update reads the case's stream, decides, and appends
 * UpdateSent + SlaClockStarted with the expected revision; the scheduler then turns each clock into
 * three BullMQ delayed jobs. Size = events already in the store before the 1,000 cases are made.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbeddedEventStore, createPostgresEventStore } from '../../libs/event-store/sql/create-sql-event-store';
import { SqlEventStore } from '../../libs/event-store/sql/sql-event-store';
import { PROJECTION_CHECKPOINTS_SQL } from '../../libs/projections/projection-checkpoints';
import { EVENTS_PER_CASE, loadCaseEvents } from '../support/case-events';
import { countQueries, profileWindow } from '../support/diagnostics';
import { LoadFigures, loadFigures, LoadResult, runLoad } from '../support/http-load';
import { startBareRoute } from '../support/bare-route';
import { prepareCases, updateTargets } from '../support/bench-cases';
import { log, Metric } from '../support/metrics';
import { benchDatabaseUrl, createSchema, dropSchema, withSearchPath } from '../support/pg';
import { deleteKeysPrefixed } from '../support/redis';
import { bearer, benchDataDir, startBenchService } from '../support/service';
import type { RunningService } from '../../apps/casetrail/bootstrap';
import type { EventStore } from '../../libs/event-store/event-store';
import { EVENT_STORE } from '../../libs/platform/tokens';
import { compareCheckpoints } from '../../libs/event-store/checkpoint';
import { ALL_PROJECTIONS } from '../../libs/projections/read-models/all-projections';
import { slaTimersProjection } from '../../libs/sla-timers/sla-timers.projection';
import type { Worker } from 'node:worker_threads';
import { median, sizeLabel } from '../support/stats';
import { describeCpu, measureCpu, measureThreads } from '../support/cpu';
import { redisPrefix, reportPartial, schemaName, SuiteTask } from '../support/suite';

const SUITE = '1. Commands over HTTP';
/** 1,000 cases (the quick run: 300). */
const CASES_FULL = 1000;
const CASES_QUICK = 300;
const CLIENTS = 32;
/** Service and bare route alternate this many times in a full run (once in a quick one). */
const PAIRS = 3;
/**
 * The consumers marked as having processed the filler (role all), from the service's own lists, so
 * that a new read model is marked too (a list kept here missed the SLA report's sums and the call
 * queue, which then projected the whole filler during the measured runs). Reactors that start at
 * the head or follow the projections need no mark; any other catches up before the first run.
 */
const SERVICE_PROJECTIONS = [...ALL_PROJECTIONS.map((p) => p.name), slaTimersProjection.name];
/** How long the service's consumers may take to catch up with the store before a measured run. */
const IDLE_DEADLINE_MS = 180_000;

export async function commandsSuite(task: SuiteTask): Promise<Metric[]> {
  const store = task.params.store as 'postgres' | 'embedded';
  const metrics: Metric[] = [];
  for (const size of task.sizes) {
    const measured = await runOne(task, store, size);
    metrics.push(...measured);
    reportPartial(measured);
  }
  return metrics;
}

async function runOne(task: SuiteTask, kind: 'postgres' | 'embedded', size: number): Promise<Metric[]> {
  const CASES = task.quick ? CASES_QUICK : CASES_FULL;
  const scope = `commands ${kind} ${sizeLabel(size)}`;
  const data = benchDataDir();
  const schema = schemaName(task, 'cmd', kind === 'postgres' ? 'pg' : 'emb', sizeLabel(size));
  const prefix = redisPrefix(task, 'cmd', kind, sizeLabel(size));
  const bareSchema = schemaName(task, 'bare', kind === 'postgres' ? 'pg' : 'emb', sizeLabel(size));
  const env: Record<string, string> = { DATA_DIR: data.dir, API_KEYS_FILE: data.apiKeysFile, REDIS_PREFIX: prefix };
  if (kind === 'postgres') {
    await createSchema(schema);
    env.EVENT_STORE = 'postgres';
    env.DATABASE_URL = withSearchPath(benchDatabaseUrl(), schema);
  } else {
    env.EVENT_STORE = 'embedded';
  }
  try {
    if (size > 0) await fill(task, kind, schema, join(data.dir, 'pglite'), size, scope);

    let service = await startBenchService(env);
    try {
      const auth = bearer('support');
      log(scope, `creating ${CASES} cases (submission, severity, engineer)`);
      const setupStarted = performance.now();
      const caseIds = await prepareCases(service.url, CASES);
      const setupSeconds = (performance.now() - setupStarted) / 1000;
      log(
        scope,
        `cases ready in ${setupSeconds.toFixed(1)} s (${Math.round((CASES * 3) / setupSeconds)} setup commands/s); ${CLIENTS} clients posting updates`,
      );

      const durationMs = task.quick ? 3000 : 10000;
      const warmupMs = task.quick ? 1000 : 3000;
      const targets = updateTargets(caseIds);
      const load = (baseUrl: string) =>
        runLoad({ baseUrl, authorization: auth, clients: CLIENTS, warmupMs, durationMs, targets });

      // The practical limit beside the service, in the same run and alternating with it (issue 18):
      // the bare route (bench/baseline/bare-route.ts, its own process, on PostgreSQL) under the
      // same load generator, also in its own process.
      await createSchema(bareSchema);
      const bare = await startBareRoute(withSearchPath(benchDatabaseUrl(), bareSchema));
      const pairs: Array<{ service: LoadFigures; bare: LoadFigures }> = [];
      let cpu: ReturnType<ReturnType<typeof measureCpu>['stop']> | null = null;
      let bareCpu: { node: number | null; pg: number | null } | null = null;
      let apiOnly: { rate: number; p99: number; ratio: number } | null = null;
      try {
        for (let pair = 0; pair < (task.quick ? 1 : PAIRS); pair++) {
          // Before the meters start: the wait is not part of the measured window.
          await consumersIdle(service, scope);
          const queries = pair === 0 ? countQueries() : null;
          const cpuMeter = measureCpu();
          const threadMeter = measureThreads();
          const switches = contextSwitches();
          const busy = threadBusy(service);
          const result = await profileWindow(`commands-${kind}-${sizeLabel(size)}-${pair}`, () => load(service.url));
          cpu = cpuMeter.stop();
          log(scope, busy());
          const switched = contextSwitches();
          if (switches && switched) {
            const secs = cpu.wallSeconds;
            log(
              scope,
              `main thread context switches/s: voluntary ${Math.round((switched.voluntary - switches.voluntary) / secs)}, preempted ${Math.round((switched.involuntary - switches.involuntary) / secs)}`,
            );
          }
          if (queries) {
            log(
              scope,
              `SQL statements during the run (incl. warm-up): ${queries.total()} for ~${result.requests} measured commands`,
            );
            for (const [sql, n] of queries.top(20)) log(scope, `  ${n}\t${sql}`);
          }
          const ours = loadFigures(result);
          log(scope, threadMeter.stop(ours.rate * cpu.wallSeconds));
          log(scope, `pair ${pair + 1}, service: ${describe(ours, result)}; ${describeCpu(cpu)}`);
          // The bare route's own process and PostgreSQL, per request, measured as the service is.
          // The service's consumers finish the load's events first: their catch-up would run
          // during the bare route's run and take the cores it is measured on.
          await consumersIdle(service, scope);
          const bareMeter = measureCpu(bare.pid);
          const theirs = loadFigures(await load(bare.url));
          const bareSplit = bareMeter.stop();
          bareCpu = { node: perCommand(bareSplit.self, theirs.rate), pg: perCommand(bareSplit.postgres, theirs.rate) };
          log(
            scope,
            `pair ${pair + 1}, bare route (baseline): ${describe(theirs)}; ${describeCpu(bareSplit, 'its process')}`,
          );
          pairs.push({ service: ours, bare: theirs });
        }
        if (kind === 'postgres' && !task.quick) {
          // The command path alone: the same service as role api, its consumers (read models,
          // timers) not running anywhere, then the bare route again. What role all does on top of
          // it is the background work that shares the machine's cores.
          await service.close();
          service = await startBenchService({ ...env, ROLE: 'api' });
          await consumersIdle(service, scope);
          const meter = measureCpu();
          const threads = measureThreads();
          const own = loadFigures(
            await profileWindow(`commands-${kind}-${sizeLabel(size)}-api-alone`, () => load(service.url)),
          );
          const split = meter.stop();
          log(scope, threads.stop(own.rate * split.wallSeconds));
          const bareNow = loadFigures(await load(bare.url));
          apiOnly = { rate: own.rate, p99: own.p99, ratio: own.rate / bareNow.rate };
          log(
            scope,
            `role api alone (no consumers): ${describe(own)}; ${describeCpu(split)}; bare route right after: ${describe(bareNow)}; ratio ${apiOnly.ratio.toFixed(2)}x`,
          );
        }
      } finally {
        await bare.close();
        await dropSchema(bareSchema);
      }
      const ours = medianFigures(pairs.map((p) => p.service));
      const theirs = medianFigures(pairs.map((p) => p.bare));
      const rateRatio = median(pairs.map((p) => p.service.rate / p.bare.rate));
      const p99Ratio = median(pairs.map((p) => p.service.p99 / p.bare.p99));
      log(
        scope,
        `service ${Math.round(ours.rate)}/s p99 ${ours.p99.toFixed(1)} ms; bare route ${Math.round(theirs.rate)}/s p99 ${theirs.p99.toFixed(1)} ms; ratio ${rateRatio.toFixed(2)}x commands/s, ${p99Ratio.toFixed(2)}x p99 (median of ${pairs.length} pair(s))`,
      );
      const rate = ours.rate;
      const failed = ours.failed;
      const latency = ours;
      const label = kind === 'postgres' ? 'postgres' : 'embedded (PGlite)';
      const at = sizeLabel(size);
      const note = `Commands: size = events already in the store (generated cases, projections marked caught up) before the ${CASES} cases are created; ${CLIENTS} clients (a load generator in its own process) for ${durationMs / 1000} s after a ${warmupMs / 1000} s warm-up, alternating with the bare route (bench/baseline/bare-route.ts: same JSON, one INSERT on PostgreSQL, its own process) ${pairs.length} time(s); figures are the medians of the pairs; each update appends UpdateSent + SlaClockStarted; the service also runs its projections, SLA scheduler and timer worker (role all).`;
      return [
        {
          suite: SUITE,
          key: `commands.${kind}.rate`,
          label: `POST /updates, ${label}: commands/s`,
          unit: '/s',
          size: at,
          value: rate,
          note,
        },
        {
          suite: SUITE,
          key: `commands.${kind}.bare.rate`,
          label: `Baseline beside it (bare route, PostgreSQL): commands/s`,
          unit: '/s',
          size: at,
          value: theirs.rate,
        },
        {
          suite: SUITE,
          key: `commands.${kind}.ratio.rate`,
          label: `POST /updates, ${label}: commands/s as a share of the bare route's`,
          unit: 'x',
          size: at,
          value: rateRatio,
          goal:
            kind === 'postgres' ? { op: '>=', target: 0.7, text: '≥ 0.7x' } : { op: '>=', target: 0.5, text: '≥ 0.5x' },
        },
        ...(apiOnly
          ? [
              {
                suite: SUITE,
                key: `commands.${kind}.apiOnly.rate`,
                label: `POST /updates, ${label}, role api alone (no consumers running): commands/s`,
                unit: '/s',
                size: at,
                value: apiOnly.rate,
              },
              {
                suite: SUITE,
                key: `commands.${kind}.apiOnly.ratio`,
                label: `POST /updates, ${label}, role api alone: commands/s as a share of the bare route's (run right after)`,
                unit: 'x',
                size: at,
                value: apiOnly.ratio,
              },
              {
                suite: SUITE,
                key: `commands.${kind}.apiOnly.p99`,
                label: `POST /updates, ${label}, role api alone: p99`,
                unit: 'ms',
                size: at,
                value: apiOnly.p99,
              },
            ]
          : []),
        {
          suite: SUITE,
          key: `commands.${kind}.p50`,
          note: `${label}, ${at}: ${cpu ? describeCpu(cpu) : ''}`,
          label: `POST /updates, ${label}: p50`,
          unit: 'ms',
          size: at,
          value: latency.p50,
        },
        {
          suite: SUITE,
          key: `commands.${kind}.p99`,
          label: `POST /updates, ${label}: p99`,
          unit: 'ms',
          size: at,
          value: latency.p99,
        },
        {
          suite: SUITE,
          key: `commands.${kind}.bare.p99`,
          label: `Baseline beside it (bare route, PostgreSQL): p99`,
          unit: 'ms',
          size: at,
          value: theirs.p99,
        },
        {
          suite: SUITE,
          key: `commands.${kind}.ratio.p99`,
          label: `POST /updates, ${label}: p99 as a multiple of the bare route's`,
          unit: 'x',
          size: at,
          value: p99Ratio,
          ...(kind === 'postgres' ? { goal: { op: '<=' as const, target: 1.5, text: '≤ 1.5x' } } : {}),
        },
        {
          suite: SUITE,
          key: `commands.${kind}.failed`,
          label: `POST /updates, ${label}: non-2xx answers`,
          unit: '',
          size: at,
          value: failed,
        },
        {
          suite: SUITE,
          key: `commands.${kind}.cpu.node`,
          label: `POST /updates, ${label}: CPU per command, Node (the service's process)`,
          unit: 'ms',
          size: at,
          value: cpu ? perCommand(cpu.self, rate) : null,
        },
        ...(kind === 'postgres'
          ? [
              {
                suite: SUITE,
                key: `commands.${kind}.cpu.pg`,
                label: `POST /updates, ${label}: CPU per command, PostgreSQL`,
                unit: 'ms',
                size: at,
                value: cpu ? perCommand(cpu.postgres, rate) : null,
              },
            ]
          : []),
        {
          suite: SUITE,
          key: `commands.${kind}.bare.cpu.node`,
          label: `Baseline beside it (bare route): CPU per request, its Node process`,
          unit: 'ms',
          size: at,
          value: bareCpu?.node ?? null,
        },
        ...(kind === 'postgres'
          ? [
              {
                suite: SUITE,
                key: `commands.${kind}.bare.cpu.pg`,
                label: `Baseline beside it (bare route): CPU per request, PostgreSQL`,
                unit: 'ms',
                size: at,
                value: bareCpu?.pg ?? null,
              },
            ]
          : []),
      ];
    } finally {
      await service.close();
    }
  } finally {
    await deleteKeysPrefixed(prefix);
    if (kind === 'postgres') await dropSchema(schema);
    data.remove();
  }
}

/**
 * Puts `size` events of generated cases in the store (through the store's append), then marks them
 * as already processed by the service's projections (their checkpoints at the last event), like a
 * service that has been running for a while: the benchmark then measures commands, not catch-up.
 */
async function fill(
  task: SuiteTask,
  kind: 'postgres' | 'embedded',
  schema: string,
  pgliteDir: string,
  size: number,
  scope: string,
): Promise<void> {
  const store: SqlEventStore =
    kind === 'postgres'
      ? await createPostgresEventStore(benchDatabaseUrl(), { schema, poolSize: 10 })
      : await createEmbeddedEventStore(pgliteDir);
  try {
    const cases = Math.max(1, Math.round(size / EVENTS_PER_CASE));
    log(scope, `filling the store with ${cases.toLocaleString('en-US')} generated cases`);
    const loaded = await loadCaseEvents(store, task.runId, cases, { concurrency: kind === 'postgres' ? 8 : 1, scope });
    log(scope, `filled: ${loaded.events.toLocaleString('en-US')} events in ${loaded.seconds.toFixed(1)} s`);
    await store.sql.exec(PROJECTION_CHECKPOINTS_SQL);
    const head = (await store.headCheckpoint()) as string;
    for (const name of SERVICE_PROJECTIONS) {
      await store.sql.query(
        'insert into ct_projections (name, checkpoint, position, events_applied) values ($1, $2, $3, $4)',
        [name, head, head.split(':')[1], loaded.events],
      );
    }
  } finally {
    await store.close();
  }
}

/**
 * Waits until every consumer's checkpoint (ct_projections, read through the service's own store)
 * has reached the store's head, so that a measured run does not share the cores with catch-up
 * work left from setup or from the run before. Logs the wait when there was one.
 */
async function consumersIdle(service: RunningService, scope: string): Promise<void> {
  const store = service.app.get<EventStore>(EVENT_STORE);
  if (!(store instanceof SqlEventStore)) return;
  const started = performance.now();
  for (;;) {
    const head = await store.headCheckpoint();
    const rows = await store.sql.query<{ name: string; checkpoint: string | null }>(
      'select name, checkpoint from ct_projections',
    );
    const behind = rows.filter((r) => compareCheckpoints(r.checkpoint, head) < 0).map((r) => r.name);
    if (behind.length === 0) break;
    if (performance.now() - started > IDLE_DEADLINE_MS)
      throw new Error(`consumers still behind the store after ${IDLE_DEADLINE_MS / 1000} s: ${behind.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const waited = performance.now() - started;
  if (waited > 150) log(scope, `waited ${(waited / 1000).toFixed(1)} s for the consumers to catch up before the run`);
}

function describe(f: LoadFigures, result?: LoadResult): string {
  const failures = f.failed && result ? ` ${JSON.stringify(result.statuses)} ${result.firstError}` : '';
  return `${Math.round(f.rate)} commands/s, p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, ${f.failed} failed${failures}`;
}

function medianFigures(runs: LoadFigures[]): LoadFigures {
  return {
    rate: median(runs.map((r) => r.rate)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
  };
}

/** Milliseconds of CPU per command, from cores busy and commands per second. */
function perCommand(cores: number | null, rate: number): number | null {
  return cores === null || !rate ? null : (cores * 1000) / rate;
}

/** The main thread's context switches so far (Linux), to tell waiting for I/O from being preempted. */
function contextSwitches(): { voluntary: number; involuntary: number } | null {
  try {
    const status = readFileSync(`/proc/${process.pid}/task/${process.pid}/status`, 'utf8');
    return {
      voluntary: Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]),
      involuntary: Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]),
    };
  } catch {
    return null;
  }
}

/**
 * How busy the service's threads were during the run (event-loop utilisation: the share of time
 * a thread was running rather than waiting): the main thread, and the PGlite thread on the
 * embedded store. A thread near 100 % is a bottleneck; both well below it with idle cores means
 * the threads wait on each other.
 */
function threadBusy(service: RunningService): () => string {
  const store = service.app.get<EventStore>(EVENT_STORE);
  // The PGlite client's worker is private: read here for this diagnostic only.
  const worker = store instanceof SqlEventStore ? (store.sql as unknown as { worker?: Worker }).worker : undefined;
  const main = performance.eventLoopUtilization();
  const lite = worker?.performance.eventLoopUtilization();
  return () => {
    const mainNow = performance.eventLoopUtilization(main).utilization;
    const liteNow = worker && lite ? worker.performance.eventLoopUtilization(lite).utilization : null;
    return `threads busy: main ${(mainNow * 100).toFixed(0)} %${liteNow === null ? '' : `, PGlite ${(liteNow * 100).toFixed(0)} %`}`;
  };
}
