/**
 * `npm run bench [-- --quick] [--suites a,b] [--sizes 10000,100000] [--no-write]`
 *
 * Runs the suites (each in a child process of its own: clean heap, own RSS, no shared globals such
 * as pg's type parsers, which Emmett's driver changes), prints the results table and rewrites the
 * run's section of BENCHMARKS.md. Sizes: 10k, 100k, 1M events (quick: 10k, shorter runs).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { machineInfo } from './support/machine';
import { log, Metric } from './support/metrics';
import { createSchema, dropEverythingPrefixed } from './support/pg';
import { deleteKeysPrefixed } from './support/redis';
import { markdownTables, RunReport, writeBenchmarksFile, writeJson } from './support/report';
import { sizeLabel } from './support/stats';
import { schemaName, SuiteRunner, SuiteTask } from './support/suite';

const SUITES = [
  'commands',
  'event-store',
  'projections',
  'timers',
  'case-list',
  'startup',
  'lag',
  'reports',
  'scale-out',
] as const;
type SuiteName = (typeof SUITES)[number];

async function runners(): Promise<Record<SuiteName, SuiteRunner>> {
  return {
    commands: (await import('./suites/commands')).commandsSuite,
    'event-store': (await import('./suites/event-store')).eventStoreSuite,
    projections: (await import('./suites/projections')).projectionsSuite,
    timers: (await import('./suites/timers')).timersSuite,
    'case-list': (await import('./suites/case-list')).caseListSuite,
    startup: (await import('./suites/startup')).startupSuite,
    lag: (await import('./suites/lag')).lagSuite,
    reports: (await import('./suites/reports')).reportsSuite,
    'scale-out': (await import('./suites/scale-out')).scaleOutSuite,
  };
}

interface Args {
  quick: boolean;
  suites: SuiteName[];
  sizes: number[] | null;
  write: boolean;
  child: string | null;
  /** Re-render BENCHMARKS.md's section from a saved bench/results/*.json (no measuring). */
  render: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, suites: [...SUITES], sizes: null, write: true, child: null, render: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--quick':
        args.quick = true;
        break;
      case '--suites': {
        const names = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const unknown = names.filter((n) => !(SUITES as readonly string[]).includes(n));
        if (unknown.length) throw new Error(`unknown suite(s) ${unknown.join(', ')}; known: ${SUITES.join(', ')}`);
        args.suites = names as SuiteName[];
        break;
      }
      case '--sizes':
        args.sizes = value()
          .split(',')
          .map((s) => Number(s.trim()));
        if (args.sizes.some((n) => !Number.isInteger(n) || n < 0))
          throw new Error('--sizes takes whole numbers, e.g. 10000,100000');
        break;
      case '--no-write':
        args.write = false;
        break;
      case '--child':
        args.child = value();
        break;
      case '--render':
        args.render = value();
        break;
      case '--help':
        process.stdout.write(
          `npm run bench [-- --quick] [--suites ${SUITES.join(',')}] [--sizes 10000,100000,1000000] [--no-write] [--render bench/results/full.json]\n`,
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${argv[i]} (try --help)`);
    }
  }
  return args;
}

/** In a child process: run one suite and send its metrics to the parent. */
async function runChild(encoded: string): Promise<void> {
  const task = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as SuiteTask;
  const run = (await runners())[task.suite as SuiteName];
  const metrics = await run(task);
  await new Promise<void>((done) => process.send!({ type: 'metrics', metrics }, () => done()));
}

let current: ReturnType<typeof fork> | null = null;

/**
 * The suites run from a copy of the build taken when the run starts: other work on the project
 * (a `tsc` run rewriting dist/ meanwhile) cannot mix two versions of the code into one run.
 * Packages still come from the project's node_modules (NODE_PATH).
 */
let buildCopy: { main: string; nodePath: string; remove(): void } | null = null;

function copyBuild(runId: string): { main: string; nodePath: string; remove(): void } {
  const dist = resolve(__dirname, '..');
  const copy = join(tmpdir(), `casetrail-${runId}`, 'dist');
  cpSync(dist, copy, { recursive: true, filter: (source) => !source.endsWith('.map') });
  const root = resolve(dist, '..');
  const nodePath = [join(root, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(':');
  return {
    main: join(copy, 'bench', 'main.js'),
    nodePath,
    remove: () => rmSync(resolve(copy, '..'), { recursive: true, force: true }),
  };
}

function runInChild(task: SuiteTask, timeoutMs: number): Promise<Metric[]> {
  return new Promise((resolveMetrics, reject) => {
    const encoded = Buffer.from(JSON.stringify(task)).toString('base64url');
    const execArgv = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = fork(buildCopy?.main ?? __filename, ['--child', encoded], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv,
      env: { ...process.env, ...(buildCopy ? { NODE_PATH: buildCopy.nodePath } : {}) },
    });
    current = child;
    let metrics: Metric[] | null = null;
    const partial: Metric[] = [];
    const timer = setTimeout(() => {
      log('main', `${task.suite} did not finish in ${timeoutMs / 1000} s: killing it`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (message: { type: string; metrics: Metric[] }) => {
      if (message.type === 'metrics') metrics = message.metrics;
      if (message.type === 'partial') partial.push(...message.metrics);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      current = null;
      if (metrics) resolveMetrics(metrics);
      else
        reject(Object.assign(new Error(`${task.suite} exited with ${signal ?? code} before reporting`), { partial }));
    });
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    await runChild(args.child);
    // Pools and timers of the suite are closed, but a library may keep a handle: do not wait for it.
    process.exit(0);
  }
  if (args.render) {
    const report = JSON.parse(readFileSync(resolve(args.render), 'utf8')) as RunReport;
    process.stdout.write(`\n${markdownTables(report)}\n\n`);
    writeBenchmarksFile(join(resolve(__dirname, '../..'), 'BENCHMARKS.md'), report);
    log('main', `re-rendered the ${report.mode} section of BENCHMARKS.md from ${args.render}`);
    return;
  }

  const started = performance.now();
  const runId = `bench_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const quick = args.quick;
  const sizes = args.sizes ?? (quick ? [10_000] : [10_000, 100_000, 1_000_000]);
  log(
    'main',
    `run ${runId}: ${quick ? 'quick' : 'full'}, sizes ${sizes.map(sizeLabel).join(', ')}, suites ${args.suites.join(', ')}`,
  );
  const machine = await machineInfo();
  buildCopy = copyBuild(runId);
  const metrics: Metric[] = [];
  const problems: string[] = [];
  const base = { runId, quick };
  const childTimeout = quick ? 5 * 60_000 : 40 * 60_000;

  let interrupted = false;
  const storeLabel = (task: SuiteTask) => (typeof task.params.store === 'string' ? ` (${task.params.store})` : '');
  const attempt = async (task: SuiteTask) => {
    if (interrupted) return;
    const t0 = performance.now();
    try {
      const produced = await runInChild(task, childTimeout);
      metrics.push(...produced);
      log('main', `${task.suite}${storeLabel(task)} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    } catch (error) {
      const kept = (error as { partial?: Metric[] }).partial ?? [];
      metrics.push(...kept);
      const message = `${task.suite}${storeLabel(task)}: ${(error as Error).message}${kept.length ? ` (the ${kept.length} figures measured before are kept)` : ''}`;
      problems.push(message);
      log('main', `FAILED ${message}`);
    }
  };

  const cleanup = async () => {
    const dropped = await dropEverythingPrefixed(runId).catch((error: Error) => [`(cleanup failed: ${error.message})`]);
    const keys = await deleteKeysPrefixed(`ct-${runId}`).catch(() => 0);
    if (dropped.length || keys)
      log('main', `cleaned up ${dropped.length} schemas/databases and ${keys} Redis keys left by the run`);
  };
  process.once('SIGINT', () => {
    interrupted = true;
    log('main', 'interrupted: cleaning up');
    current?.kill('SIGKILL');
    void cleanup().finally(() => {
      buildCopy?.remove();
      process.exit(130);
    });
  });

  try {
    if (args.suites.includes('commands')) {
      // BENCH_COMMAND_STORES=postgres: one store only (an A/B pair of a change, in half the time).
      for (const store of (process.env.BENCH_COMMAND_STORES ?? 'postgres,embedded').split(','))
        await attempt({ ...base, suite: 'commands', sizes, params: { store } });
    }
    if (args.suites.includes('event-store')) {
      const stores = (process.env.BENCH_STORES ?? 'ours,emmett,raw').split(',');
      // Size by size, the doors one after the other: the figures a ratio compares are measured
      // about a minute apart, not the whole suite apart (this shared VM's speed drifts by 10-20 %).
      for (const size of sizes) {
        for (const store of stores) await attempt({ ...base, suite: 'event-store', sizes: [size], params: { store } });
      }
      metrics.push(...ratios(metrics));
    }
    const pipeline = args.suites.filter((s) => ['projections', 'case-list', 'startup'].includes(s));
    if (pipeline.length) {
      for (const size of sizes) {
        // One dataset per size: generated events, rebuilt read models (suite 3), then read (5), then started on (6).
        const schema = schemaName(base, 'cases', sizeLabel(size));
        await createSchema(schema);
        const params = { schema, generate: true, measureRebuild: pipeline.includes('projections') };
        await attempt({ ...base, suite: 'projections', sizes: [size], params });
        if (pipeline.includes('case-list')) await attempt({ ...base, suite: 'case-list', sizes: [size], params });
        if (pipeline.includes('startup')) await attempt({ ...base, suite: 'startup', sizes: [size], params });
        await dropEverythingPrefixed(schema);
      }
    }
    if (args.suites.includes('lag')) {
      await attempt({ ...base, suite: 'lag', sizes: [], params: {} });
    }
    if (args.suites.includes('scale-out')) {
      await attempt({ ...base, suite: 'scale-out', sizes: [], params: {} });
    }
    if (args.suites.includes('reports')) {
      await attempt({ ...base, suite: 'reports', sizes, params: {} });
    }
    if (args.suites.includes('timers')) {
      await attempt({
        ...base,
        suite: 'timers',
        sizes: args.sizes ?? (quick ? [10_000] : [10_000, 100_000, 1_000_000]),
        params: {},
      });
    }
  } finally {
    await cleanup();
    buildCopy?.remove();
  }

  const report: RunReport = {
    mode: quick ? 'quick' : 'full',
    machine,
    sizes: [...new Set(metrics.map((m) => m.size))].sort((a, b) => parseSize(a) - parseSize(b)),
    metrics,
    problems,
    seconds: (performance.now() - started) / 1000,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  };
  process.stdout.write(`\n${markdownTables(report)}\n\n`);
  if (problems.length) process.stdout.write(`Problems:\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
  if (args.write) {
    const root = resolve(__dirname, '../..');
    writeBenchmarksFile(join(root, 'BENCHMARKS.md'), report);
    writeJson(join(root, 'bench', 'results', `${report.mode}.json`), report);
    log('main', `wrote BENCHMARKS.md (${report.mode} section) and bench/results/${report.mode}.json`);
  }
  log('main', `finished in ${Math.round(report.seconds)} s`);
}

function parseSize(label: string): number {
  const m = /^([\d.]+)(k|M)?$/.exec(label);
  if (!m) return Number.MAX_SAFE_INTEGER;
  return Number(m[1]) * (m[2] === 'M' ? 1e6 : m[2] === 'k' ? 1e3 : 1);
}

/** Suite 2's ratios: ours / Emmett and ours / raw, per measure and size. */
function ratios(metrics: Metric[]): Metric[] {
  const out: Metric[] = [];
  for (const ours of metrics.filter((m) => m.key.endsWith('|ours') && m.unit === '/s')) {
    const group = ours.key.slice(0, -'|ours'.length);
    const peer = (variant: string) => metrics.find((m) => m.key === `${group}|${variant}` && m.size === ours.size);
    for (const [variant, name] of [
      ['emmett', 'Emmett'],
      ['raw', 'raw'],
    ] as const) {
      const other = peer(variant);
      if (!other || ours.value === null || other.value === null || !other.value) continue;
      const goal = RATIO_GOALS[`${group}|vs-${variant}`];
      out.push({
        suite: ours.suite,
        key: `${group}|vs-${variant}`,
        label: `${ours.label.replace(/: ours$/, '')}: ours / ${name}`,
        unit: 'x',
        size: ours.size,
        value: ours.value / other.value,
        ...(goal ? { goal } : {}),
      });
    }
  }
  return out;
}

const RATIO_GOALS: Record<string, Metric['goal']> = {
  'es.append.w32.b1|vs-emmett': { op: '>=', target: 2, text: '≥ 2x' },
  'es.append.w32.b100|vs-emmett': { op: '>=', target: 2, text: '≥ 2x' },
  'es.append.w32.b1|vs-raw': { op: '>=', target: 0.7, text: '≥ 0.7x' },
  'es.append.w32.b100|vs-raw': { op: '>=', target: 0.7, text: '≥ 0.7x' },
  'es.readall|vs-emmett': { op: '>=', target: 10, text: '≥ 10x' },
};

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
