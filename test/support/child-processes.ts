import { ChildProcess } from 'node:child_process';

/**
 * The processes tests start (services, CLI runs), so that none outlives its jest worker: when a
 * test fails or times out before its own cleanup ran, they are killed as the worker exits (jest's
 * forceExit ends the run) instead of keeping a port, a DATA_DIR lock or a Redis prefix busy.
 */
const running = new Set<ChildProcess>();
let hooked = false;

export function track<T extends ChildProcess>(child: T): T {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
