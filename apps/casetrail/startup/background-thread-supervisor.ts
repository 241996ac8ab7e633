import { MessagePort, Worker } from 'node:worker_threads';
import type { AppConfig } from '../../../libs/platform/config/app-config';
import { backgroundThreadStatus } from '../../../libs/platform/health/background-status';
import type { JsonLogger } from '../../../libs/platform/logging/json-logger';
import { setBackgroundThread } from '../../../libs/platform/metrics/background-metrics';
import { compiledEntry } from '../../../libs/platform/threads/compiled-entry';
import {
  BACKGROUND_THREAD_MODULE,
  BackgroundThreadData,
  BackgroundThreadMessage,
  STOP_BACKGROUND_THREAD,
} from './background-thread-protocol';

/** Restart back-off of the background thread: 1 s doubling to 30 s; reset once it ran a minute. */
const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
const STABLE_AFTER_MS = 60_000;

/**
 * Starts the background role in a worker thread and waits until it runs. If it fails to start,
 * so does the service (with its error). If it stops later (an error it did not survive, or the
 * embedded store's connection it uses closed), it is started again with a back-off, on a new
 * connection (`connect`), and resumes from its checkpoints; meanwhile the API keeps serving and
 * GET /health reports the thread as restarting. The process itself only ends on a signal.
 */
export async function startBackgroundThread(
  config: AppConfig,
  logger: JsonLogger,
  connect?: () => MessagePort,
): Promise<{ stop(): Promise<void> }> {
  let stopping = false;
  let worker: Worker | null = null;
  let restarts = 0;
  let delay = RESTART_MIN_MS;
  let restartTimer: NodeJS.Timeout | null = null;

  const spawn = async (): Promise<Worker> => {
    const entry = compiledEntry(BACKGROUND_THREAD_MODULE);
    const embeddedPort = connect?.();
    const thread = new Worker(entry, {
      workerData: { config, embeddedPort } satisfies BackgroundThreadData,
      transferList: embeddedPort ? [embeddedPort] : [],
    });
    let lastError: Error | null = null;
    thread.on('error', (error) => {
      lastError = error;
      logger.event('error', 'background thread error', { error: error.message, stack: error.stack }, 'Startup');
    });
    await new Promise<void>((resolve, reject) => {
      thread.on('message', (message: BackgroundThreadMessage) => {
        if ('ready' in message) resolve();
        if ('failed' in message)
          reject(Object.assign(new Error(message.failed.message), { name: message.failed.name }));
      });
      thread.once('exit', (code) =>
        reject(lastError ?? new Error(`the background thread exited during start-up (code ${code})`)),
      );
    }).catch(async (error) => {
      await thread.terminate();
      throw error;
    });
    const startedAt = Date.now();
    thread.once('exit', (code) => {
      if (stopping || worker !== thread) return;
      worker = null;
      setBackgroundThread(null);
      if (Date.now() - startedAt >= STABLE_AFTER_MS) delay = RESTART_MIN_MS;
      const why = lastError?.message ?? `exit code ${code}`;
      logger.event(
        'error',
        'the background thread stopped; restarting it',
        { code, error: why, restartInMs: delay },
        'Startup',
      );
      backgroundThreadStatus.set({ status: 'restarting', restarts, since: new Date().toISOString(), lastError: why });
      scheduleRestart();
    });
    return thread;
  };

  const scheduleRestart = () => {
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (stopping) return;
      restarts++;
      spawn().then(
        (thread) => {
          if (stopping) return void thread.terminate();
          worker = thread;
          setBackgroundThread(thread);
          logger.event('info', 'the background thread runs again', { restarts }, 'Startup');
          backgroundThreadStatus.set({ status: 'running', restarts, since: new Date().toISOString() });
        },
        (error: Error) => {
          delay = Math.min(delay * 2, RESTART_MAX_MS);
          logger.event(
            'error',
            'the background thread could not start again; retrying',
            { error: error.message, restartInMs: delay },
            'Startup',
          );
          backgroundThreadStatus.set({
            status: 'restarting',
            restarts,
            since: new Date().toISOString(),
            lastError: error.message,
          });
          scheduleRestart();
        },
      );
    }, delay);
  };

  worker = await spawn();
  setBackgroundThread(worker);
  backgroundThreadStatus.set({ status: 'running', restarts, since: new Date().toISOString() });
  return {
    stop: async () => {
      if (stopping) return;
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      setBackgroundThread(null);
      const thread = worker;
      backgroundThreadStatus.set(null);
      if (!thread) return;
      const stopped = new Promise<void>((resolve) => {
        thread.on('message', (message: BackgroundThreadMessage) => 'stopped' in message && resolve());
        thread.once('exit', () => resolve());
      });
      thread.postMessage(STOP_BACKGROUND_THREAD);
      await stopped;
      await thread.terminate();
    },
  };
}
