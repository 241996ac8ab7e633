/**
 * The code of the thread that hosts PGlite (see PgliteSqlClient). It is plain JavaScript run with
 * `new Worker(code, { eval: true })`: the same text works from the compiled service and from the
 * TypeScript sources under jest, and it loads PGlite with Node's own loader.
 *
 * Messages in: { id, op: 'query' | 'exec' | 'begin' | 'commit' | 'rollback' | 'close', sql?, params?, tx? },
 * and { op: 'connect', port }: another thread's MessagePort, served like the parent's (its own
 * transactions; 'close' from it only ends that port). Wake-ups between threads (SqlSignals):
 * { op: 'listen', topic } subscribes the port to a topic, { op: 'signal', topic } sends
 * { signal: topic } to every OTHER port subscribed to it (no reply to either).
 * Messages out: { id, rows? } on success, { id, error: { message, ...fields } } on failure, and
 * { ready: true } or { fatal } once at start. A transaction's statements go to the queue of its
 * `tx`: PGlite holds its only connection for the transaction until 'commit' or 'rollback' comes.
 */
export const PGLITE_THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ROLLBACK = Symbol('rollback');
/** topic -> the ports listening to it (SqlSignals across the process's threads). */
const topics = new Map();

function errorOf(error) {
  const out = { message: error && error.message ? error.message : String(error) };
  for (const key of ['code', 'detail', 'constraint', 'schema', 'table', 'column', 'severity', 'hint', 'position']) {
    if (error && typeof error[key] === 'string') out[key] = error[key];
  }
  return out;
}

async function main() {
  const { PGlite } = require(workerData.module);
  const db = workerData.dataDir ? new PGlite(workerData.dataDir) : new PGlite();
  await db.waitReady;
  serve(db, parentPort, true);
  parentPort.postMessage({ ready: true });
}

function serve(db, port, owner) {
  const transactions = new Map();
  const reply = (id, rows) => port.postMessage({ id, rows });
  const fail = (id, error) => port.postMessage({ id, error: errorOf(error) });

  function begin(id, tx) {
    const queue = { items: [], wake: null };
    transactions.set(tx, queue);
    const next = () =>
      queue.items.length > 0 ? Promise.resolve(queue.items.shift()) : new Promise((resolve) => (queue.wake = resolve));
    let end = null;
    db.transaction(async (t) => {
      reply(id, []);
      for (;;) {
        const message = await next();
        if (message.op === 'commit') return (end = message);
        if (message.op === 'rollback') {
          end = message;
          throw ROLLBACK;
        }
        try {
          reply(message.id, (await t.query(message.sql, message.params)).rows);
        } catch (error) {
          fail(message.id, error);
        }
      }
    }).then(
      () => reply(end.id, []),
      (error) => {
        if (end && end.op === 'rollback' && error === ROLLBACK) {
          if (end.id !== undefined) reply(end.id, []);
        }
        else if (end) fail(end.id, error);
        else fail(id, error);
      },
    ).finally(() => transactions.delete(tx));
  }

  // The other thread is gone (it closed its port or ended): roll back what it left open, or the
  // connection would stay held by a transaction nobody finishes.
  port.on('close', () => {
    for (const listening of topics.values()) listening.delete(port);
    for (const queue of transactions.values()) {
      const rollback = { op: 'rollback' };
      if (queue.wake) queue.wake(rollback);
      else queue.items.push(rollback);
    }
  });

  port.on('message', (message) => {
    if (message.tx !== undefined && message.op !== 'begin') {
      const queue = transactions.get(message.tx);
      if (!queue) return fail(message.id, new Error('no such transaction'));
      if (queue.wake) {
        const wake = queue.wake;
        queue.wake = null;
        wake(message);
      } else queue.items.push(message);
      return;
    }
    switch (message.op) {
      case 'listen': {
        if (!topics.has(message.topic)) topics.set(message.topic, new Set());
        return void topics.get(message.topic).add(port);
      }
      case 'signal':
        for (const other of topics.get(message.topic) || []) {
          if (other !== port) other.postMessage({ signal: message.topic });
        }
        return;
      case 'begin':
        return begin(message.id, message.tx);
      case 'query':
        return db.query(message.sql, message.params).then((r) => reply(message.id, r.rows), (e) => fail(message.id, e));
      case 'exec':
        return db.exec(message.sql).then(() => reply(message.id, []), (e) => fail(message.id, e));
      case 'connect':
        return serve(db, message.port, false);
      case 'close':
        if (!owner) {
          reply(message.id, []);
          return port.close();
        }
        return (db.closed ? Promise.resolve() : db.close()).then(() => reply(message.id, []), (e) => fail(message.id, e));
    }
  });
}

main().catch((error) => parentPort.postMessage({ fatal: errorOf(error) }));
`;
