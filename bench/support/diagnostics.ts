import { Client } from 'pg';
import { PgliteSqlClient } from '../../libs/event-store/sql/pglite-sql-client';
import type { SqlExecutor } from '../../libs/event-store/sql/sql-client';

/**
 * BENCH_COUNT_QUERIES=1: counts the SQL statements this process sends through `pg`, grouped by
 * their first words, to see where round trips go (used to find the bottlenecks in BENCHMARKS.md).
 */
export function countQueries(): { reset(): void; top(n?: number): Array<[string, number]>; total(): number } | null {
  if (!process.env.BENCH_COUNT_QUERIES) return null;
  const counts = new Map<string, number>();
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '?');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return original.apply(this, args);
  };
  // The embedded store: count what goes through PgliteSqlClient (queries and transactions' queries).
  const lite = PgliteSqlClient.prototype as unknown as {
    query: (sql: string, params?: unknown[]) => Promise<unknown>;
    transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) => Promise<T>;
  };
  const liteQuery = lite.query;
  const liteTransaction = lite.transaction;
  const count = (sql: string) => {
    const key = sql.replace(/\s+/g, ' ').trim().slice(0, 70);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  lite.query = function (this: unknown, sql: string, params?: unknown[]) {
    count(sql);
    return liteQuery.call(this, sql, params);
  };
  lite.transaction = function <T>(this: unknown, work: (tx: SqlExecutor) => Promise<T>) {
    count('BEGIN (embedded transaction)');
    return liteTransaction.call(this, (tx: SqlExecutor) =>
      work({ query: (sql, params) => (count(sql), tx.query(sql, params)) }),
    ) as Promise<T>;
  };
  return {
    reset: () => counts.clear(),
    top: (n = 15) => [...counts].sort((a, b) => b[1] - a[1]).slice(0, n),
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
  };
}

/**
 * BENCH_PROFILE=<dir>: a V8 CPU profile of this process (main thread) for the measured window
 * only, written as <dir>/<name>.cpuprofile (open it in Chrome DevTools or speedscope).
 */
export async function profileWindow<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return work();
  const inspector = await import('node:inspector');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name.replace(/[^\w.-]+/g, '_')}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
