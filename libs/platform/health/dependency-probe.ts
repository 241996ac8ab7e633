export interface DependencyHealth {
  status: 'up' | 'down';
  detail?: string;
  latencyMs?: number;
}

/** How long a health check waits for one dependency before calling it down. */
export const PROBE_TIMEOUT_MS = 2000;

/** Runs one dependency check: up with its latency, or down with the first line of why. */
export async function probe(check: () => Promise<unknown>): Promise<DependencyHealth> {
  const started = performance.now();
  try {
    await withTimeout(check(), PROBE_TIMEOUT_MS);
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { status: 'down', detail: (error as Error).message.split('\n')[0] };
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}
