import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { sleep } from './stats';
import { benchDatabaseUrl, withSearchPath } from './pg';
import { benchRedisUrl } from './redis';

const MAIN_JS = resolve(__dirname, '../../apps/casetrail/main.js');

/**
 * The environment of a service process of the benchmark: PostgreSQL in `schema`, the run's Redis
 * prefix, a DATA_DIR with the bench's keys, errors only, no rate limit (`extra` adds/overrides).
 */
export function benchServiceEnv(
  schema: string,
  redisPrefix: string,
  data: { dir: string; apiKeysFile: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    EVENT_STORE: 'postgres',
    DATABASE_URL: withSearchPath(benchDatabaseUrl(), schema),
    REDIS_URL: benchRedisUrl(),
    REDIS_PREFIX: redisPrefix,
    DATA_DIR: data.dir,
    API_KEYS_FILE: data.apiKeysFile,
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_SECOND: '0',
    ...extra,
  };
}

/** The service as `npm start` runs it (dist/apps/casetrail/main.js), in a process of its own. */
export interface ServiceProcess {
  readonly output: () => string;
  readonly exitCode: () => number | null;
  stop(): Promise<void>;
}

export function startProcess(role: 'api' | 'worker' | 'all', env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [MAIN_JS, '--role', role], {
    env: {
      PATH: process.env.PATH ?? '',
      ...(process.env.NODE_PATH ? { NODE_PATH: process.env.NODE_PATH } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: process.cwd(),
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    output: () => output,
    exitCode: () => child.exitCode,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export async function healthy(baseUrl: string, service: ServiceProcess): Promise<void> {
  const started = performance.now();
  for (;;) {
    if (service.exitCode() !== null)
      throw new Error(`the service exited with ${service.exitCode()}: ${service.output().slice(-2000)}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (performance.now() - started > 60_000)
      throw new Error(`not healthy after 60 s: ${service.output().slice(-2000)}`);
    await sleep(50);
  }
}
