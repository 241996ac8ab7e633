import { fork } from 'node:child_process';
import { join } from 'node:path';

export interface BareRoute {
  readonly url: string;
  /** Its process (CPU is measured per process). */
  readonly pid: number;
  close(): Promise<void>;
}

/** Starts the baseline (bench/baseline/bare-route.ts) in a process of its own. */
export function startBareRoute(databaseUrl: string): Promise<BareRoute> {
  const child = fork(join(__dirname, '..', 'baseline', 'bare-route.js'), [], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the bare route exited (${code}) before listening`)));
    child.once('message', (message: { port: number }) => {
      child.removeAllListeners('exit');
      resolve({
        url: `http://127.0.0.1:${message.port}`,
        pid: child.pid!,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
