import type { MessagePort } from 'node:worker_threads';
import type { AppConfig } from '../../../libs/platform/config/app-config';

/** What the HTTP thread hands the background thread (role `all`, BACKGROUND_THREAD=on) at its start. */
export interface BackgroundThreadData {
  readonly config: AppConfig;
  /** The embedded store: the thread's own connection to the database the HTTP thread opened. */
  readonly embeddedPort?: MessagePort;
}

/** The background thread's messages to the HTTP thread (besides the metrics protocol, background-metrics.ts). */
export type BackgroundThreadMessage =
  { ready: true } | { failed: { name: string; message: string } } | { stopped: true };

/** The HTTP thread's request that the background thread stop. */
export const STOP_BACKGROUND_THREAD = 'stop';

/** The thread's module, from the project's root (run compiled: compiledEntry). */
export const BACKGROUND_THREAD_MODULE = 'apps/casetrail/background-thread';
