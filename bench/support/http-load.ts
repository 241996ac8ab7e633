import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { LoadOptions, LoadResult } from './http-load-worker';
import { summarize } from './stats';

export type { LoadOptions, LoadResult, LoadTarget } from './http-load-worker';

/**
 * Runs the load generator in a process of its own and resolves with what it measured: a client
 * outside the service's process, as real clients are (a worker thread inside it shared the
 * process's heap, GC and CPU accounting with the service: issue 18).
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'http-load-worker.js'), [], {
      serialization: 'advanced', // the latencies travel as a Float64Array
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: LoadResult | null = null;
    child.once('message', (message: LoadResult) => (result = message));
    child.once('error', reject);
    child.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`the load generator exited (${code}) without a result`)),
    );
    child.send(options);
  });
}

/** What a load run measured, as the suites report it. */
export interface LoadFigures {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

/** Commands/s counts the 201s only; latencies are of every measured request. */
export function loadFigures(result: LoadResult): LoadFigures {
  const ok = result.statuses['201'] ?? 0;
  const latency = summarize(result.latencies);
  return { rate: ok / (result.elapsedMs / 1000), p50: latency.p50, p99: latency.p99, failed: result.requests - ok };
}

/** A few requests from the main thread (setup work: creating cases, engineers). */
export async function request(
  baseUrl: string,
  authorization: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { authorization, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep the text */
  }
  return { status: response.status, body: parsed };
}

/** Runs `work` on every item with at most `concurrency` in flight. */
export async function forEachConcurrent<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        await work(items[i], i);
      }
    }),
  );
}
