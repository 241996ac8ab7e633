/**
 * Suite 9: scale-out on PostgreSQL (issue 18). The same load (32 closed-loop clients posting
 * updates to open cases, from a load generator in its own process) against two deployments, built
 * from `dist/apps/casetrail/main.js` as in production and alternating in one run:
 *  - one:   a single `--role all` process (HTTP on the main thread, consumers on the background
 *           thread);
 *  - split: two `--role api` processes (the clients spread over both) and one `--role worker`.
 * Measured: commands/s, p50/p99, and what the deployment holds open: PostgreSQL connections (from
 * pg_stat_activity, for the run's schema) and Redis clients, sampled at the end of the load.
 */
import { Client } from 'pg';
import { prepareCases, updateTargets } from '../support/bench-cases';
import { loadFigures, runLoad } from '../support/http-load';
import { log, Metric } from '../support/metrics';
import { benchDatabaseUrl, createSchema, dropSchema } from '../support/pg';
import { benchRedisUrl, deleteKeysPrefixed } from '../support/redis';
import { bearer, benchDataDir } from '../support/service';
import { benchServiceEnv, healthy, ServiceProcess, startProcess } from '../support/service-process';
import { median, sizeLabel } from '../support/stats';
import { redisPrefix, schemaName, SuiteTask } from '../support/suite';
import Redis from 'ioredis';

const SUITE = '9. Scale-out (PostgreSQL, processes)';
const CLIENTS = 32;
type Deployment = 'one' | 'split';

interface RunFigures {
  rate: number;
  p50: number;
  p99: number;
  failed: number;
  pgConnections: number;
  redisClients: number;
}

export async function scaleOutSuite(task: SuiteTask): Promise<Metric[]> {
  const cases = task.quick ? 300 : 1000;
  const pairs = task.quick ? 1 : 2;
  const runs: Record<Deployment, RunFigures[]> = { one: [], split: [] };
  for (let pair = 0; pair < pairs; pair++) {
    for (const deployment of ['one', 'split'] as const)
      runs[deployment].push(await runOnce(task, deployment, pair, cases));
  }
  const size = sizeLabel(cases);
  const note = `Scale-out: ${cases} open cases per run, ${CLIENTS} clients posting updates (a load generator in its own process; in "split" the clients alternate between the two api processes) for ${task.quick ? 3 : 10} s after a warm-up; ${pairs} one/split pair(s) alternating; medians. Connections: client backends in pg_stat_activity and Redis CLIENT LIST entries near the end of the load, less those before the deployment started (a quiet machine: other clients would count).`;
  const metrics: Metric[] = [];
  const labels: Record<Deployment, string> = { one: 'one `all` process', split: 'two `api` + one `worker`' };
  for (const deployment of ['one', 'split'] as const) {
    const r = runs[deployment];
    const label = labels[deployment];
    metrics.push(
      {
        suite: SUITE,
        key: `scale.${deployment}.rate`,
        label: `${label}: commands/s`,
        unit: '/s',
        size,
        value: median(r.map((x) => x.rate)),
        note,
      },
      {
        suite: SUITE,
        key: `scale.${deployment}.p50`,
        label: `${label}: p50`,
        unit: 'ms',
        size,
        value: median(r.map((x) => x.p50)),
      },
      {
        suite: SUITE,
        key: `scale.${deployment}.p99`,
        label: `${label}: p99`,
        unit: 'ms',
        size,
        value: median(r.map((x) => x.p99)),
      },
      {
        suite: SUITE,
        key: `scale.${deployment}.pg`,
        label: `${label}: PostgreSQL connections`,
        unit: '',
        size,
        value: median(r.map((x) => x.pgConnections)),
      },
      {
        suite: SUITE,
        key: `scale.${deployment}.redis`,
        label: `${label}: Redis clients`,
        unit: '',
        size,
        value: median(r.map((x) => x.redisClients)),
      },
    );
  }
  metrics.push({
    suite: SUITE,
    key: 'scale.ratio',
    label: 'split / one: commands/s',
    unit: 'x',
    size,
    value: median(runs.split.map((s, i) => s.rate / runs.one[i].rate)),
  });
  return metrics;
}

async function runOnce(task: SuiteTask, deployment: Deployment, pair: number, cases: number): Promise<RunFigures> {
  const scope = `scale-out ${deployment} #${pair + 1}`;
  const schema = schemaName(task, 'scale', deployment, pair);
  const prefix = redisPrefix(task, 'scale', deployment, pair);
  const data = benchDataDir();
  await createSchema(schema);
  const env = benchServiceEnv(schema, prefix, data);

  const port = 20000 + Math.floor(Math.random() * 12000);
  const processes: ServiceProcess[] = [];
  const urls: string[] = [];
  // One after the other: two processes migrating a fresh schema at once can collide on
  // `create table if not exists` (PostgreSQL's catalog race), which is not what this measures.
  const start = async (role: 'all' | 'api' | 'worker', p: number) => {
    const service = startProcess(role, { ...env, PORT: String(p) });
    processes.push(service);
    await healthy(`http://127.0.0.1:${p}`, service);
    if (role !== 'worker') urls.push(`http://127.0.0.1:${p}`);
  };
  const sampler = new Client({ connectionString: benchDatabaseUrl() });
  const redis = new Redis(benchRedisUrl());
  const serverConnections = async () => {
    const { rows } = await sampler.query<{ n: string }>(
      'select count(*)::text as n from pg_stat_activity where backend_type = $1 and pid <> pg_backend_pid()',
      ['client backend'],
    );
    return Number(rows[0].n);
  };
  const redisClients = async () =>
    String(await redis.client('LIST'))
      .split('\n')
      .filter((l) => l.trim()).length;
  try {
    await sampler.connect();
    // The deployment's own: what the servers hold during the load, less what they held before it started.
    const before = { pg: await serverConnections(), redis: await redisClients() };
    if (deployment === 'one') await start('all', port);
    else {
      await start('worker', port + 2);
      await start('api', port);
      await start('api', port + 1);
    }
    const ids = await prepareCases(urls[0], cases);
    let connections = { pg: 0, redis: 0 };
    const durationMs = task.quick ? 3000 : 10000;
    const loading = runLoad({
      baseUrl: urls[0],
      baseUrls: urls,
      authorization: bearer('support'),
      clients: CLIENTS,
      warmupMs: task.quick ? 1000 : 3000,
      durationMs,
      targets: updateTargets(ids),
    });
    // Near the end of the load: what the deployment holds open.
    await new Promise((r) => setTimeout(r, (task.quick ? 1000 : 3000) + durationMs - 1000));
    connections = { pg: (await serverConnections()) - before.pg, redis: (await redisClients()) - before.redis };
    const result = await loading;
    const figures: RunFigures = {
      ...loadFigures(result),
      pgConnections: connections.pg,
      redisClients: connections.redis,
    };
    log(
      scope,
      `${Math.round(figures.rate)} commands/s, p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, ${figures.failed} failed${result.firstError ? ` (${result.firstError})` : ''}; PostgreSQL connections ${figures.pgConnections}, Redis clients ${figures.redisClients}`,
    );
    return figures;
  } finally {
    await sampler.end().catch(() => undefined);
    redis.disconnect();
    await Promise.all(processes.map((p) => p.stop()));
    await deleteKeysPrefixed(prefix);
    await dropSchema(schema);
    data.remove();
  }
}
