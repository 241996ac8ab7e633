/**
 * Suite 7: append-to-read-model lag across two processes. `node dist/apps/casetrail/main.js
 * --role api` and `--role worker` run on PostgreSQL (one schema per run): the API appends, the
 * worker's projections read. One client submits cases over HTTP one after another (a random
 * 0-20 ms pause between them, so that the commands do not fall in step with a poll) and, after
 * each, reads the case list with `?consistentWith=<position>` (read-your-writes). Measured:
 * - projection lag: from the command's 201 to the moment the `cases` projection's checkpoint
 *   covers its event, seen by sampling ct_projections on a connection of the suite's own (a
 *   round trip apart, ~1 ms); clamped at 0 when the projection beat the response;
 * - read-your-writes: the consistentWith GET's duration.
 * Both with EVENT_NOTIFICATIONS=off (poll only: projections every 100 ms, consistentWith every
 * 15 ms) and on (LISTEN/NOTIFY wake-ups), and on again under load (32 other clients submitting
 * cases from a load generator in its own process: issue 18), alternating in one run.
 */
import { Client } from 'pg';
import { compareCheckpoints } from '../../libs/event-store/checkpoint';
import { request, runLoad } from '../support/http-load';
import { log, Metric } from '../support/metrics';
import { benchDatabaseUrl, createSchema, dropSchema, withSearchPath } from '../support/pg';
import { deleteKeysPrefixed } from '../support/redis';
import { bearer, benchDataDir } from '../support/service';
import { percentile, sizeLabel, sleep } from '../support/stats';
import { benchServiceEnv, healthy, startProcess, ServiceProcess } from '../support/service-process';
import { benchSubmission } from '../support/bench-cases';
import { redisPrefix, schemaName, SuiteTask } from '../support/suite';

const SUITE = '7. Append-to-read-model lag, two processes';

/** off: poll only; on: LISTEN/NOTIFY wake-ups; loaded: on, while 32 other clients submit cases. */
type Mode = 'off' | 'on' | 'loaded';
const LOAD_CLIENTS = 32;

interface RunResult {
  projection: number[];
  readYourWrites: number[];
}

export async function lagSuite(task: SuiteTask): Promise<Metric[]> {
  const commands = task.quick ? 150 : 400;
  const pairs = task.quick ? 1 : 2;
  const results: Record<Mode, RunResult> = {
    off: { projection: [], readYourWrites: [] },
    on: { projection: [], readYourWrites: [] },
    loaded: { projection: [], readYourWrites: [] },
  };
  for (let pair = 0; pair < pairs; pair++) {
    for (const mode of ['off', 'on', 'loaded'] as const) {
      const r = await runOnce(task, mode, pair, commands);
      results[mode].projection.push(...r.projection);
      results[mode].readYourWrites.push(...r.readYourWrites);
    }
  }
  const size = sizeLabel(commands * pairs);
  const note = `Lag: --role api and --role worker processes on PostgreSQL; ${commands} case submissions per run, one at a time with 0-20 ms pauses, ${pairs} off/on pair(s) alternating; off = EVENT_NOTIFICATIONS=off (poll only), on = LISTEN/NOTIFY wake-ups; under load = on, while ${LOAD_CLIENTS} other closed-loop clients (a load generator in its own process) submit cases to the api process, the probing client submitting for as long as the load runs. Projection lag: 201 → the cases checkpoint covers the event (sampled ~1 ms apart). Read-your-writes: GET /v1/cases?consistentWith=<position>.`;
  const metrics: Metric[] = [];
  for (const [measure, label] of [
    ['projection', 'projection lag'],
    ['readYourWrites', 'read-your-writes GET'],
  ] as const) {
    const summary = {
      off: stats(results.off[measure]),
      on: stats(results.on[measure]),
      loaded: stats(results.loaded[measure]),
    };
    for (const p of ['p50', 'p99'] as const) {
      metrics.push(
        {
          suite: SUITE,
          key: `lag.${measure}.${p}|off`,
          label: `${label} ${p}, notifications off (poll)`,
          unit: 'ms',
          size,
          value: summary.off[p],
          note,
        },
        {
          suite: SUITE,
          key: `lag.${measure}.${p}|on`,
          label: `${label} ${p}, notifications on`,
          unit: 'ms',
          size,
          value: summary.on[p],
          note,
        },
        {
          suite: SUITE,
          key: `lag.${measure}.${p}|loaded`,
          label: `${label} ${p}, notifications on, under ${LOAD_CLIENTS}-client load`,
          unit: 'ms',
          size,
          value: summary.loaded[p],
          ...(measure === 'projection' && p === 'p99'
            ? { goal: { op: '<=' as const, target: 50, text: '< 50 ms' } }
            : {}),
        },
        {
          suite: SUITE,
          key: `lag.${measure}.${p}|ratio`,
          label: `${label} ${p}: off / on`,
          unit: 'x',
          size,
          value: summary.on[p] ? summary.off[p] / summary.on[p] : null,
        },
      );
    }
  }
  return metrics;
}

function stats(values: number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function runOnce(task: SuiteTask, mode: Mode, pair: number, commands: number): Promise<RunResult> {
  const scope = `lag ${mode} #${pair + 1}`;
  const schema = schemaName(task, 'lag', mode, pair);
  const prefix = redisPrefix(task, 'lag', mode, pair);
  const data = benchDataDir();
  await createSchema(schema);
  const databaseUrl = withSearchPath(benchDatabaseUrl(), schema);
  const apiPort = 20000 + Math.floor(Math.random() * 12000);
  const env = benchServiceEnv(schema, prefix, data, { EVENT_NOTIFICATIONS: mode === 'off' ? 'off' : 'on' });

  // One after the other: two processes migrating a fresh schema at once can collide on
  // `create table if not exists` (PostgreSQL's catalog race), which is not what this measures.
  const worker = startProcess('worker', { ...env, PORT: String(apiPort + 1) });
  let api: ServiceProcess | null = null;
  const sampler = new Client({ connectionString: databaseUrl });
  try {
    await healthy(`http://127.0.0.1:${apiPort + 1}`, worker);
    api = startProcess('api', { ...env, PORT: String(apiPort) });
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    await healthy(baseUrl, api);
    await sampler.connect();
    const auth = bearer('support');
    // Warm-up: the worker's projections are running and both processes have their connections.
    for (let i = 0; i < 10; i++) {
      const r = await request(baseUrl, auth, 'POST', '/v1/cases', benchSubmission(i));
      if (r.status !== 201) throw new Error(`warm-up submission: ${r.status} ${JSON.stringify(r.body)}`);
      const g = await request(baseUrl, auth, 'GET', `/v1/cases?limit=1&consistentWith=${r.body.position}`);
      if (g.status !== 200) throw new Error(`warm-up read: ${g.status} ${JSON.stringify(g.body)}`);
    }

    // Samples of the cases projection's checkpoint: (time, checkpoint) at each change.
    const samples: Array<{ at: number; checkpoint: string }> = [];
    let sampling = true;
    const sampling$ = (async () => {
      let last = '';
      while (sampling) {
        const { rows } = await sampler.query<{ checkpoint: string | null }>(
          "select checkpoint from ct_projections where name = 'cases'",
        );
        const at = performance.now();
        const checkpoint = rows[0]?.checkpoint ?? '';
        if (checkpoint && checkpoint !== last) samples.push({ at, checkpoint });
        last = checkpoint;
      }
    })();

    // Under load: the other clients run for a while, and the probe submits until they stop.
    const loadMs = 15_000;
    const load =
      mode === 'loaded'
        ? runLoad({
            baseUrl,
            authorization: auth,
            clients: LOAD_CLIENTS,
            warmupMs: 0,
            durationMs: loadMs,
            targets: Array.from({ length: 50 }, (_, i) => ({
              method: 'POST' as const,
              path: '/v1/cases',
              body: JSON.stringify(benchSubmission(100_000 + i)),
            })),
          })
        : null;
    const loadEnds = performance.now() + loadMs - 500;
    const acks: Array<{ at: number; position: string }> = [];
    const readYourWrites: number[] = [];
    for (let i = 0; load ? performance.now() < loadEnds : i < commands; i++) {
      await sleep(Math.random() * 20);
      const r = await request(baseUrl, auth, 'POST', '/v1/cases', benchSubmission(100 + i));
      const at = performance.now();
      if (r.status !== 201) throw new Error(`submission: ${r.status} ${JSON.stringify(r.body)}`);
      acks.push({ at, position: String(r.body.position) });
      const g = await request(baseUrl, auth, 'GET', `/v1/cases?limit=1&consistentWith=${r.body.position}`);
      if (g.status !== 200) throw new Error(`consistentWith read: ${g.status} ${JSON.stringify(g.body)}`);
      readYourWrites.push(performance.now() - at);
    }
    const loaded = await load;
    if (loaded) {
      const ok = loaded.statuses['201'] ?? 0;
      log(
        scope,
        `the other ${LOAD_CLIENTS} clients: ${Math.round(ok / (loaded.elapsedMs / 1000))} submissions/s, ${loaded.requests - ok} failed${loaded.firstError ? ` (${loaded.firstError})` : ''}`,
      );
    }
    // Until the projection has caught up with the last acknowledged command.
    const caughtUp = performance.now() + 60_000;
    const lastAck = acks[acks.length - 1]?.position;
    while (lastAck && performance.now() < caughtUp) {
      const { rows } = await sampler.query<{ position: string | null }>(
        "select position::text as position from ct_projections where name = 'cases'",
      );
      if (rows[0]?.position && BigInt(rows[0].position) >= BigInt(lastAck)) break;
      await sleep(20);
    }
    sampling = false;
    await sampling$;

    const { rows } = await sampler.query<{ position: string; tx: string }>(
      'select global_position::text as position, tx_id::text as tx from ct_events where global_position = any($1::bigint[])',
      [acks.map((a) => a.position)],
    );
    const checkpointOf = new Map(rows.map((r) => [r.position, `${r.tx}:${r.position}`]));
    const projection: number[] = [];
    for (const ack of acks) {
      const checkpoint = checkpointOf.get(ack.position);
      const reached = samples.find((s) => compareCheckpoints(s.checkpoint, checkpoint!) >= 0);
      if (!checkpoint || !reached) throw new Error(`the projection never reached position ${ack.position}`);
      projection.push(Math.max(0, reached.at - ack.at));
    }
    const p = stats(projection);
    const g = stats(readYourWrites);
    log(
      scope,
      `projection lag p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms; read-your-writes GET p50 ${g.p50.toFixed(1)} ms, p99 ${g.p99.toFixed(1)} ms (${samples.length} checkpoint changes seen)`,
    );
    return { projection, readYourWrites };
  } finally {
    await sampler.end().catch(() => undefined);
    await Promise.all([api?.stop(), worker.stop()]);
    await deleteKeysPrefixed(prefix);
    await dropSchema(schema);
    data.remove();
  }
}
