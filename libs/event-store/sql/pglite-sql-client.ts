import { MessageChannel, MessagePort, Worker } from 'node:worker_threads';
import { SqlClient, SqlExecutor, SqlSignals } from './sql-client';
import { PGLITE_THREAD_SOURCE, PgliteErrorFields, PgliteReply, PgliteRequest, PgliteThreadData } from './pglite-thread';
import { DependencyUnavailableError } from '../../platform/health/dependency-unavailable';

/** A request as the client sends it: the thread's protocol (pglite-thread.ts) without the `id` the client adds. */
type Call =
  Exclude<PgliteRequest, { op: 'connect' | 'listen' | 'signal' }> extends infer R
    ? R extends unknown
      ? Omit<R, 'id'>
      : never
    : never;

/** An error PGlite raised, with PostgreSQL's fields (code, detail, constraint...) kept. */
export class PgliteError extends Error {
  constructor(fields: PgliteErrorFields) {
    super(fields.message);
    this.name = 'PgliteError';
    Object.assign(this, fields);
  }
}

/**
 * PGlite (PostgreSQL compiled to WASM) behind the SqlClient interface, running in a thread of its
 * own: the database's work no longer shares the event loop with HTTP and the projections, so the
 * embedded store uses a second core (it was one thread doing both; BENCHMARKS.md). It is a single
 * connection: statements queue in order and a transaction holds it exclusively.
 * The thread keeps the process alive only while a statement is in flight.
 *
 * The client that opened the thread owns it (and closes the database). Another thread of the
 * process reaches the same database through `connect()`: a MessagePort of its own, served by the
 * PGlite thread directly, so that thread's statements never wait on the owner's event loop.
 */
export class PgliteSqlClient implements SqlClient {
  readonly concurrentTransactions = false;
  private nextId = 1;
  private nextTx = 1;
  private readonly pending = new Map<
    number,
    { resolve: (rows: Record<string, unknown>[]) => void; reject: (error: Error) => void }
  >();
  private failure: Error | null = null;
  private closed = false;
  /** The owner: restarts its thread when it dies (see reopen). */
  private restarting: Promise<void> | null = null;
  private readonly topicListeners = new Map<string, Set<() => void>>();
  /**
   * Wake-ups between the threads of this process, relayed by the PGlite thread (absent when
   * `notifications: false`). In-process messages are not lost while the thread lives; after a
   * restart every listener is woken once.
   */
  readonly signals?: SqlSignals;

  private constructor(
    /** Where statements go: the PGlite thread itself (owner) or a port it serves. */
    private endpoint: Worker | MessagePort,
    /** The thread, for the owner only. */
    private worker: Worker | null,
    private readonly recovery: PgliteRecovery = {},
    notifications = true,
  ) {
    this.bind(endpoint, worker);
    if (notifications) {
      this.signals = {
        publish: (topic) => {
          this.fire(topic);
          if (!this.failure && !this.closed) this.post({ op: 'signal', topic });
        },
        subscribe: (topic, listener) => {
          let set = this.topicListeners.get(topic);
          if (!set) {
            this.topicListeners.set(topic, (set = new Set()));
            if (!this.failure && !this.closed) this.post({ op: 'listen', topic });
          }
          set.add(listener);
          return () => set.delete(listener);
        },
        healthy: () => !this.failure && !this.closed,
      };
    }
  }

  private bind(endpoint: Worker | MessagePort, worker: Worker | null): void {
    endpoint.on('message', (reply: PgliteReply) => {
      if (this.endpoint !== endpoint) return;
      if ('signal' in reply) this.fire(reply.signal);
      else if ('id' in reply) this.settle(reply);
    });
    if (worker) {
      worker.on('error', (error) => this.lost(worker, error));
      worker.on('exit', (code) => this.lost(worker, new Error(`the embedded store's thread exited (code ${code})`)));
    } else {
      endpoint.on('close', () => this.fail(unavailable("the embedded store's connection closed")));
    }
  }

  /**
   * `dataDir` undefined means in memory (tests); otherwise files under that folder.
   * `notifications: false` (EVENT_NOTIFICATIONS=off): no wake-ups between threads (`signals` absent).
   */
  static async open(
    dataDir?: string,
    recovery: PgliteRecovery = {},
    options: { notifications?: boolean } = {},
  ): Promise<PgliteSqlClient> {
    const worker = await startThread(dataDir);
    return new PgliteSqlClient(worker, worker, { ...recovery, dataDir }, options.notifications !== false);
  }
  /** A client on a port from `connect()` (in the thread the port was sent to). */
  static attach(port: MessagePort, options: { notifications?: boolean } = {}): PgliteSqlClient {
    port.unref();
    return new PgliteSqlClient(port, null, {}, options.notifications !== false);
  }

  private fire(topic: string): void {
    for (const listener of this.topicListeners.get(topic) ?? []) {
      try {
        listener();
      } catch {
        // one listener's failure does not keep the others asleep
      }
    }
  }

  /** A new connection to this database for another thread of the process: send it the port (transferList). */
  connect(): MessagePort {
    if (!this.worker) throw new Error('only the client that opened the embedded store can connect other threads');
    if (this.failure) throw this.failure;
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ op: 'connect', port: port2 } satisfies PgliteRequest, [port2]);
    return port1;
  }

  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.call({ op: 'query', sql, params })) as R[];
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const tx = this.nextTx++;
    await this.call({ op: 'begin', tx });
    let result: T;
    try {
      result = await work({
        query: async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
          (await this.call({ op: 'query', tx, sql, params })) as R[],
      });
    } catch (error) {
      await this.call({ op: 'rollback', tx }).catch(() => undefined);
      throw error;
    }
    await this.call({ op: 'commit', tx });
    return result;
  }

  async exec(sql: string): Promise<void> {
    await this.call({ op: 'exec', sql });
  }

  /** PGlite lives in one process (guarded by the DATA_DIR lock): the lock is always free. */
  async tryExclusiveLock(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  /** The owner closes the database and ends its thread; an attached client closes its port. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.failure) await this.call({ op: 'close' }).catch(() => undefined);
    if (this.worker) await this.worker.terminate();
    else (this.endpoint as MessagePort).close();
  }

  /** A message the thread does not answer. */
  private post(message: PgliteRequest): void {
    this.endpoint.postMessage(message);
  }

  private call(message: Call): Promise<Record<string, unknown>[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed && message.op !== 'close') return Promise.reject(new Error('the embedded store is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.endpoint.ref();
      this.pending.set(id, { resolve, reject });
      this.post({ ...message, id });
    });
  }

  private settle(reply: Extract<PgliteReply, { id: number }>): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.endpoint.unref();
    if ('error' in reply) waiter.reject(new PgliteError(reply.error));
    else waiter.resolve(reply.rows);
  }

  private fail(error: Error): void {
    if (this.closed && this.pending.size === 0) return;
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  /**
   * The owner's PGlite thread died (a WASM abort, an out-of-memory): what was in flight fails as
   * unavailable (503), and a thread on files (DATA_DIR) is started again on the same folder,
   * which PostgreSQL's own recovery makes consistent; statements then work again. Other threads'
   * connections closed with it: they connect again (the background thread is restarted). An
   * in-memory database cannot come back, and a folder that fails to open five times in a row is
   * given up: `onUnrecoverable`.
   */
  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker || this.closed || this.failure) return;
    this.fail(unavailable(`the embedded store's thread stopped (${error.message})`, error));
    if (this.restarting) return;
    const { dataDir, onRestart, onUnrecoverable } = this.recovery;
    if (dataDir === undefined) {
      onUnrecoverable?.(error);
      return;
    }
    this.restarting = (async () => {
      let last: Error = error;
      for (let attempt = 1; attempt <= 5 && !this.closed; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
        try {
          const thread = await startThread(dataDir);
          if (this.closed) return void thread.terminate();
          this.worker = thread;
          this.endpoint = thread;
          this.bind(thread, thread);
          this.failure = null;
          // The new thread knows no subscriptions: listen again, and wake everyone once.
          for (const topic of this.topicListeners.keys()) {
            thread.postMessage({ op: 'listen', topic } satisfies PgliteRequest);
            this.fire(topic);
          }
          onRestart?.(error);
          return;
        } catch (failure) {
          last = failure as Error;
        }
      }
      if (!this.closed) onUnrecoverable?.(last);
    })().finally(() => (this.restarting = null));
  }
}

/** What the owner does when its PGlite thread dies (see PgliteSqlClient.lost). */
export interface PgliteRecovery {
  /** Set by open(): where the files are (undefined: in memory, which cannot come back). */
  readonly dataDir?: string;
  /** The thread runs again on the same files; `cause`: why it had stopped. */
  readonly onRestart?: (cause: Error) => void;
  /** It cannot be brought back: the caller decides (the service exits so its supervisor restarts it). */
  readonly onUnrecoverable?: (error: Error) => void;
}

function unavailable(message: string, cause?: Error): DependencyUnavailableError {
  return new DependencyUnavailableError('embedded-store', message, { cause });
}

/** Starts a PGlite thread on `dataDir` (in memory when undefined) and waits until it is ready. */
async function startThread(dataDir: string | undefined): Promise<Worker> {
  const worker = new Worker(PGLITE_THREAD_SOURCE, {
    eval: true,
    // Resolved here, where node_modules is known; the thread's own base would be the cwd.
    workerData: { dataDir, module: require.resolve('@electric-sql/pglite') } satisfies PgliteThreadData,
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (reply: PgliteReply) => {
      if (!('ready' in reply) && !('fatal' in reply)) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      if ('ready' in reply) resolve();
      else {
        void worker.terminate();
        reject(new PgliteError(reply.fatal));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  worker.unref();
  return worker;
}
