import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { track } from './child-processes';
import { freePort } from './private-servers';

/** The built service (`npm test` compiles the project to dist/ before jest runs). */
export const MAIN_JS = join(__dirname, '../../dist/apps/casetrail/main.js');

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** SIGKILL: no shutdown hook runs, as in a crash. */
  kill9(): Promise<void>;
  /** SIGTERM, and SIGKILL if it has not exited `graceMs` later (a hung shutdown must not hang the test run). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the built service as a real process and waits until GET /health answers 200. Without a
 * PORT it picks one below Linux's ephemeral range (32768+, where outgoing connections take
 * theirs), and picks another if the port was taken meanwhile (EADDRINUSE).
 */
export async function spawnService(
  env: Record<string, string>,
  args: string[] = [],
  timeoutMs = 90_000,
): Promise<ServiceProcess> {
  if (env.PORT) return spawnOnPort(env, args, timeoutMs, env.PORT);
  for (let attempt = 1; ; attempt++) {
    try {
      // From the OS: a port picked at random could be another test's service, whose /health then
      // answered for ours (a `worker` there: 404 on the API's routes).
      return await spawnOnPort(env, args, timeoutMs, String(await freePort()));
    } catch (error) {
      if (attempt >= 5 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}

async function spawnOnPort(
  env: Record<string, string>,
  args: string[],
  timeoutMs: number,
  port: string,
): Promise<ServiceProcess> {
  const child = track(
    spawn(process.execPath, [MAIN_JS, ...args], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env, PORT: port },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}: ${output}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service did not become healthy in ${timeoutMs} ms: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    output: () => output,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async (graceMs = 30_000) => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
