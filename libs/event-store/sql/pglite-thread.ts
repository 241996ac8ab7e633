import type { MessagePort } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';

/**
 * The thread that hosts PGlite (see PgliteSqlClient), and the messages both sides exchange.
 *
 * The thread's code is one self-contained function (`pgliteThread`), type-checked with the rest,
 * and started as `new Worker(PGLITE_THREAD_SOURCE, { eval: true })`: its compiled text, whether
 * that is tsc's (the built service) or ts-jest's (tests run from the sources), so the thread needs
 * no build step and loads PGlite with Node's own loader. Self-contained means: it uses nothing
 * from this module's scope (imports here are types only) and `require`s what it needs.
 *
 * A transaction's statements go to the queue of its `tx`: PGlite holds its only connection for
 * the transaction until `commit` or `rollback` comes. `connect` hands the thread another thread's
 * MessagePort, served like the parent's (its own transactions; `close` from it only ends that
 * port). Wake-ups between threads (SqlSignals): `listen` subscribes the port to a topic, `signal`
 * sends `{ signal: topic }` to every OTHER port subscribed to it (no reply to either).
 */

/** What starts the thread (workerData). */
export interface PgliteThreadData {
  /** Files under this folder; undefined: in memory. */
  readonly dataDir?: string;
  /** `@electric-sql/pglite`, resolved by the opener (the eval'd thread's own base would be the cwd). */
  readonly module: string;
}

/** A statement or control message to the thread; every one but `listen`/`signal`/`connect` is answered by `id`. */
export type PgliteRequest =
  | {
      readonly op: 'query';
      readonly id: number;
      readonly sql: string;
      readonly params: unknown[];
      readonly tx?: number;
    }
  | { readonly op: 'exec'; readonly id: number; readonly sql: string }
  | { readonly op: 'begin'; readonly id: number; readonly tx: number }
  | { readonly op: 'commit'; readonly id: number; readonly tx: number }
  /** `id` absent: the thread's own rollback of a transaction whose port closed. */
  | { readonly op: 'rollback'; readonly id?: number; readonly tx?: number }
  | { readonly op: 'close'; readonly id: number }
  | { readonly op: 'connect'; readonly port: MessagePort }
  | { readonly op: 'listen'; readonly topic: string }
  | { readonly op: 'signal'; readonly topic: string };

/** An error PGlite raised, with PostgreSQL's fields (code, detail, constraint...) that are strings. */
export interface PgliteErrorFields {
  readonly message: string;
  readonly [field: string]: string;
}

/** The thread's messages: answers by `id`, its start (`ready` or `fatal`, once), and other threads' signals. */
export type PgliteReply =
  | { readonly id: number; readonly rows: Record<string, unknown>[] }
  | { readonly id: number; readonly error: PgliteErrorFields }
  | { readonly ready: true }
  | { readonly fatal: PgliteErrorFields }
  | { readonly signal: string };

/** The thread's body. Runs in the PGlite thread only: see this module's comment before using anything outside it. */
export function pgliteThread(): void {
  // `require`, not `import`: this function's text runs on its own in the eval thread, where nothing is imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const threads = require('node:worker_threads') as typeof import('node:worker_threads');
  const parentPort = threads.parentPort;
  const data = threads.workerData as PgliteThreadData;
  const ROLLBACK = Symbol('rollback');
  /** topic -> the ports listening to it (SqlSignals across the process's threads). */
  const topics = new Map<string, Set<MessagePort>>();
  type Port = Pick<MessagePort, 'postMessage' | 'on' | 'close'>;
  type TxMessage = Extract<PgliteRequest, { op: 'query' | 'commit' | 'rollback' }>;
  type Queue = { items: TxMessage[]; wake: ((message: TxMessage) => void) | null };

  const errorOf = (error: unknown): PgliteErrorFields => {
    const source = (error ?? {}) as Record<string, unknown>;
    const out: Record<string, string> = {
      message: typeof source.message === 'string' && source.message ? source.message : String(error),
    };
    for (const key of ['code', 'detail', 'constraint', 'schema', 'table', 'column', 'severity', 'hint', 'position']) {
      if (typeof source[key] === 'string') out[key] = source[key];
    }
    return out as PgliteErrorFields;
  };

  const serve = (db: PGlite, port: Port, owner: boolean): void => {
    const transactions = new Map<number, Queue>();
    const send = (reply: PgliteReply) => port.postMessage(reply);
    const reply = (id: number, rows: Record<string, unknown>[]) => send({ id, rows });
    const fail = (id: number, error: unknown) => send({ id, error: errorOf(error) });

    const begin = (id: number, tx: number): void => {
      const queue: Queue = { items: [], wake: null };
      transactions.set(tx, queue);
      const next = () =>
        queue.items.length > 0
          ? Promise.resolve(queue.items.shift() as TxMessage)
          : new Promise<TxMessage>((resolve) => (queue.wake = resolve));
      let end: TxMessage | null = null;
      db.transaction(async (t: Transaction) => {
        reply(id, []);
        for (;;) {
          const message = await next();
          if (message.op === 'commit') return void (end = message);
          if (message.op === 'rollback') {
            end = message;
            // A sentinel, not an error: it makes PGlite roll the transaction back and is recognised below.
            // eslint-disable-next-line @typescript-eslint/only-throw-error
            throw ROLLBACK;
          }
          try {
            reply(message.id, (await t.query<Record<string, unknown>>(message.sql, message.params)).rows);
          } catch (error) {
            fail(message.id, error);
          }
        }
      })
        .then(
          () => {
            if (end?.id !== undefined) reply(end.id, []);
          },
          (error: unknown) => {
            if (end && end.op === 'rollback' && error === ROLLBACK) {
              if (end.id !== undefined) reply(end.id, []);
            } else if (end?.id !== undefined) fail(end.id, error);
            else fail(id, error);
          },
        )
        .finally(() => transactions.delete(tx));
    };

    // The other thread is gone (it closed its port or ended): roll back what it left open, or the
    // connection would stay held by a transaction nobody finishes.
    port.on('close', () => {
      for (const listening of topics.values()) listening.delete(port as MessagePort);
      for (const queue of transactions.values()) {
        const rollback: TxMessage = { op: 'rollback' };
        if (queue.wake) queue.wake(rollback);
        else queue.items.push(rollback);
      }
    });

    port.on('message', (message: PgliteRequest) => {
      if (
        (message.op === 'query' || message.op === 'commit' || message.op === 'rollback') &&
        message.tx !== undefined
      ) {
        const queue = transactions.get(message.tx);
        if (!queue) return void (message.id !== undefined && fail(message.id, new Error('no such transaction')));
        if (queue.wake) {
          const wake = queue.wake;
          queue.wake = null;
          wake(message);
        } else queue.items.push(message);
        return;
      }
      switch (message.op) {
        case 'listen': {
          let listening = topics.get(message.topic);
          if (!listening) topics.set(message.topic, (listening = new Set()));
          return void listening.add(port as MessagePort);
        }
        case 'signal':
          for (const other of topics.get(message.topic) ?? []) {
            if (other !== port) other.postMessage({ signal: message.topic } satisfies PgliteReply);
          }
          return;
        case 'begin':
          return begin(message.id, message.tx);
        case 'query':
          return void db.query<Record<string, unknown>>(message.sql, message.params).then(
            (r) => reply(message.id, r.rows),
            (e) => fail(message.id, e),
          );
        case 'exec':
          return void db.exec(message.sql).then(
            () => reply(message.id, []),
            (e) => fail(message.id, e),
          );
        case 'connect':
          return serve(db, message.port, false);
        case 'close':
          if (!owner) {
            reply(message.id, []);
            return port.close();
          }
          return void (db.closed ? Promise.resolve() : db.close()).then(
            () => reply(message.id, []),
            (e) => fail(message.id, e),
          );
        case 'commit':
        case 'rollback':
          // Outside a transaction (no `tx`): nothing to end.
          if (message.id !== undefined) fail(message.id, new Error('no such transaction'));
          return;
      }
    });
  };

  const main = async (): Promise<void> => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the top of this function
    const { PGlite: Database } = require(data.module) as typeof import('@electric-sql/pglite');
    const db = data.dataDir ? new Database(data.dataDir) : new Database();
    await db.waitReady;
    serve(db, parentPort!, true);
    parentPort!.postMessage({ ready: true } satisfies PgliteReply);
  };

  main().catch((error: unknown) => parentPort!.postMessage({ fatal: errorOf(error) } satisfies PgliteReply));
}

/** The thread's code for `new Worker(code, { eval: true })`: pgliteThread's compiled text, called. */
export const PGLITE_THREAD_SOURCE = `(${pgliteThread.toString()})();`;
