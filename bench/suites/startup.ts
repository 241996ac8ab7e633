/**
 * Suite 6: start-up to a healthy service. `node dist/apps/casetrail/main.js` (role all, as
 * deployed) is spawned with EVENT_STORE=postgres against the dataset of suites 3 and 5: N events
 * and every projection's checkpoint caught up (cases, engineers, alerts, sla-timers), so nothing
 * is replayed. Measured: spawn -> first GET /health 200 (polled every 20 ms), three times.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { benchServiceEnv } from '../support/service-process';
import { log, Metric } from '../support/metrics';
import { deleteKeysPrefixed } from '../support/redis';
import { benchDataDir } from '../support/service';
import { sizeLabel, sleep } from '../support/stats';
import { redisPrefix, SuiteTask } from '../support/suite';

const SUITE = '6. Start-up to healthy';
const MAIN_JS = resolve(__dirname, '../../apps/casetrail/main.js');

export async function startupSuite(task: SuiteTask): Promise<Metric[]> {
  const size = task.sizes[0];
  const at = sizeLabel(size);
  const scope = `startup ${at}`;
  const schema = task.params.schema as string;
  const runs = task.quick ? 2 : 3;
  const times: number[] = [];
  const nestReady: number[] = [];
  for (let run = 0; run < runs; run++) {
    const data = benchDataDir();
    const prefix = redisPrefix(task, 'start', at, run);
    try {
      // The log at info: start-up reads its lines.
      const r = await startOnce(benchServiceEnv(schema, prefix, data, { LOG_LEVEL: 'info' }));
      times.push(r.healthyMs);
      if (r.startedMs !== null) nestReady.push(r.startedMs);
      log(
        scope,
        `run ${run + 1}: healthy after ${r.healthyMs.toFixed(0)} ms (listening after ${r.startedMs?.toFixed(0) ?? '?'} ms)`,
      );
    } finally {
      await deleteKeysPrefixed(prefix);
      data.remove();
    }
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  return [
    {
      suite: SUITE,
      key: 'startup.healthy',
      label: 'spawn → GET /health 200, median',
      unit: 's',
      size: at,
      value: median / 1000,
      goal: { op: '<=', target: 5, text: '< 5 s' },
      note: `Start-up: node dist/apps/casetrail/main.js (role all) on PostgreSQL holding the events and caught-up checkpoints of every projection (the dataset of suites 3 and 5); ${runs} runs per size, median reported.`,
    },
    {
      suite: SUITE,
      key: 'startup.listening',
      label: 'spawn → "casetrail started" logged (HTTP listening), median',
      unit: 's',
      size: at,
      value: nestReady.length ? nestReady.sort((a, b) => a - b)[Math.floor(nestReady.length / 2)] / 1000 : null,
    },
  ];
}

async function startOnce(env: Record<string, string>): Promise<{ healthyMs: number; startedMs: number | null }> {
  const port = String(20000 + Math.floor(Math.random() * 12000));
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN_JS], {
    // NODE_PATH: main.ts may run the suites from a copy of dist/ (packages stay in node_modules).
    env: {
      PATH: process.env.PATH ?? '',
      ...(process.env.NODE_PATH ? { NODE_PATH: process.env.NODE_PATH } : {}),
      ...env,
      PORT: port,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: process.cwd(),
  });
  let output = '';
  let startedMs: number | null = null;
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (startedMs === null && text.includes('"casetrail started"')) startedMs = performance.now() - started;
    if (output.length < 20_000) output += text;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}: ${output.slice(-2000)}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.status === 200) return { healthyMs: performance.now() - started, startedMs };
      } catch {
        /* not listening yet */
      }
      if (performance.now() - started > 60_000) throw new Error(`not healthy after 60 s: ${output.slice(-2000)}`);
      await sleep(20);
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
