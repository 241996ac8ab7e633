import { Problem, problem } from '../http/problem';

/** The parts of the service's surroundings a request or background work can lose. */
export type Dependency = 'postgres' | 'embedded-store' | 'redis' | 'event-store';

/** How long a client is asked to wait before retrying while a dependency is down (Retry-After). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * A dependency the request (or background work) needs is unreachable right now: the connection
 * was refused, reset or ended, or the database is shutting down or starting. Not a bug and not
 * the caller's fault: HTTP answers 503 with Retry-After, background work backs off and resumes;
 * the clients reconnect on their own. Nothing was stored by the operation that met it... or it
 * may have been, when the connection ended after the commit: a 503 never claims either, and a
 * retry with the same Idempotency-Key is answered once.
 */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }

  toProblem(): Problem {
    return problem(503, `${DEPENDENCY_NAMES[this.dependency]} is unavailable right now; retry later`, {
      dependency: this.dependency,
      retryAfter: RETRY_AFTER_SECONDS,
    });
  }
}

const DEPENDENCY_NAMES: Record<Dependency, string> = {
  postgres: 'the database',
  'embedded-store': 'the embedded store',
  redis: 'Redis',
  'event-store': 'the event store',
};

/** Socket-level failures: the peer is not there (any TCP dependency). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT', // a Unix socket that is gone
]);

/**
 * PostgreSQL's SQLSTATEs for a server that went away or is not ready: class 08 (connection
 * exception), 57P01 admin_shutdown (pg_ctl stop -m fast), 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up or shutting down), 53300 too_many_connections.
 */
const isPostgresUnavailableCode = (code: string): boolean =>
  /^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code);

/** What `pg` (and pg-pool) say when the connection ended or cannot be made. */
const POSTGRES_MESSAGES = [
  /^Connection terminated/i,
  /connection error and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Cannot use a pool after calling end/i,
  /^Client was closed and is not queryable/i,
];

/** What ioredis says while Redis is down (a command that exhausted its retries, or met a closed connection). */
const REDIS_MESSAGES = [
  /^Connection is closed\.?$/,
  /Reached the max retries per request limit/,
  /Stream isn't writeable/,
];

/**
 * The one place that tells a lost connection from any other error: returns the error as a
 * DependencyUnavailableError, or null when it is something else. Looks through `cause` and
 * AggregateError (Node tries each address of a host name) a few levels deep.
 */
export function asDependencyUnavailable(error: unknown, depth = 0): DependencyUnavailableError | null {
  if (error instanceof DependencyUnavailableError) return error;
  // Duck-typed: errors made in another realm (a vm context, a worker's) are not `instanceof Error`.
  if (typeof error !== 'object' || error === null || depth > 4) return null;
  const rawCode = (error as { code?: unknown }).code;
  const code = typeof rawCode === 'string' ? rawCode : '';
  const { message = '', name = '' } = error as { message?: string; name?: string };
  const wrap = (dependency: Dependency) =>
    new DependencyUnavailableError(dependency, `${dependency} unavailable: ${message.split('\n')[0] || code}`, {
      cause: error,
    });
  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((m) => m.test(message))) return wrap('redis');
  // The EventStoreDB (KurrentDB) client's errors carry a `type` (not exercised by this repo's tests:
  // they need an EventStoreDB server).
  const type = (error as { type?: unknown }).type;
  if (type === 'unavailable' || type === 'deadline-exceeded') return wrap('event-store');
  if (code && isPostgresUnavailableCode(code)) return wrap('postgres');
  if (POSTGRES_MESSAGES.some((m) => m.test(message))) return wrap('postgres');
  // Only `pg` hands raw socket errors to its callers; ioredis turns them into the errors above.
  if (code && NETWORK_CODES.has(code)) return wrap('postgres');
  for (const inner of [(error as { cause?: unknown }).cause, ...((error as { errors?: unknown[] }).errors ?? [])]) {
    const found = inner === undefined ? null : asDependencyUnavailable(inner, depth + 1);
    if (found) return found;
  }
  return null;
}
