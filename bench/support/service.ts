import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningService, startService } from '../../apps/casetrail/bootstrap';
import { loadConfig } from '../../libs/platform/config/app-config';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { benchRedisUrl } from './redis';

/** The keys every benchmark service accepts. */
export const BENCH_KEYS = {
  support: 'bench-key-support-0000000',
  admin: 'bench-key-admin-000000000',
} as const;

export const bearer = (key: keyof typeof BENCH_KEYS) => `Bearer ${BENCH_KEYS[key]}`;

/** A temporary DATA_DIR with an API keys file in it. */
export function benchDataDir(): { dir: string; apiKeysFile: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-bench-'));
  const apiKeysFile = join(dir, 'api-keys.json');
  writeFileSync(
    apiKeysFile,
    JSON.stringify([
      { name: 'support-1', key: BENCH_KEYS.support, role: 'support' },
      { name: 'admin-1', key: BENCH_KEYS.admin, role: 'admin' },
    ]),
  );
  return { dir, apiKeysFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The real service in this process (startService, as main.ts does), on a free port, logging only
 * errors. `env` adds to / overrides the benchmark's defaults.
 */
export async function startBenchService(env: Record<string, string>): Promise<RunningService> {
  const config = loadConfig(
    {
      PORT: '0',
      LOG_LEVEL: 'error',
      REDIS_URL: benchRedisUrl(),
      // The benchmarks measure the service, not the per-key rate limit (on by default).
      RATE_LIMIT_PER_SECOND: '0',
      // EVENT_NOTIFICATIONS=off in the bench's environment: measure the service without wake-ups.
      ...(process.env.EVENT_NOTIFICATIONS ? { EVENT_NOTIFICATIONS: process.env.EVENT_NOTIFICATIONS } : {}),
      // BACKGROUND_THREAD=off in the bench's environment: role all's consumers on the main thread,
      // so that BENCH_PROFILE's profile of the main thread shows them too.
      ...(process.env.BACKGROUND_THREAD ? { BACKGROUND_THREAD: process.env.BACKGROUND_THREAD } : {}),
      ...env,
    },
    [],
  );
  return startService(config, { logger: new JsonLogger('error') });
}
