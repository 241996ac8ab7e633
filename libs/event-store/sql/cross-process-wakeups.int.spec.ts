import { randomUUID } from 'node:crypto';
import { testDatabaseUrl } from '../../../test/support/test-database';
import { CatchUpSubscription } from '../catch-up-subscription';
import { NewEvent, RecordedEvent } from '../event-store';
import { createPostgresEventStore } from './create-sql-event-store';
import { PgSignals } from './pg-signals';
import { PgSqlClient } from './pg-sql-client';
import { PgliteSqlClient } from './pglite-sql-client';
import { SqlEventStore } from './sql-event-store';
import { ProjectionRunner } from '../../projections/projection-runner';
import { JsonLogger } from '../../platform/logging/json-logger';

/**
 * Appends wake subscribers of OTHER store instances (other processes: their own pools and LISTEN
 * connections; other threads: their own ports to PGlite). The subscriptions here poll every 30 s,
 * so an event seen within a few seconds was seen because of the wake-up, not the poll.
 */
const LONG_POLL = { pollIntervalMs: 30_000, fallbackPollIntervalMs: 30_000 };
/** Generous for a busy 2-core machine; on an idle one a wake-up takes a few milliseconds. */
const WOKEN_WITHIN_MS = 5_000;

const event = (type: string): NewEvent => ({
  id: randomUUID(),
  type,
  data: {},
  metadata: { actor: 'test', occurredAt: new Date(0).toISOString(), correlationId: randomUUID(), causationId: null },
});

async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

/** A subscription from the current end of `store` that records the types of `stream`'s events. */
async function watch(store: SqlEventStore, stream: string): Promise<{ seen: string[]; stop(): Promise<void> }> {
  let from = null;
  for (;;) {
    const page = await store.readAll({ after: from, maxCount: 1000 });
    if (page.events.length === 0) break;
    from = page.checkpoint;
  }
  const seen: string[] = [];
  const subscription = new CatchUpSubscription(store, {
    from,
    ...LONG_POLL,
    handle: async (events: RecordedEvent[]) => {
      seen.push(...events.filter((e) => e.streamId === stream).map((e) => e.type));
    },
  }).start();
  return { seen, stop: () => subscription.stop() };
}

describe('wake-ups across processes: PostgreSQL LISTEN/NOTIFY', () => {
  const schema = `ct_test_wake_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const otherSchema = `${schema}_other`;
  let admin: PgSqlClient;
  let writer: SqlEventStore;
  let reader: SqlEventStore;

  beforeAll(async () => {
    admin = new PgSqlClient(testDatabaseUrl(), { max: 2, notifications: false });
    await admin.exec(`create schema ${schema}; create schema ${otherSchema}`);
    // Two store instances with their own pools: what two processes (--role api / worker) have.
    writer = await createPostgresEventStore(testDatabaseUrl(), { schema, poolSize: 4 });
    reader = await createPostgresEventStore(testDatabaseUrl(), { schema, poolSize: 4 });
  });

  afterAll(async () => {
    await writer?.close();
    await reader?.close();
    await admin.exec(`drop schema if exists ${schema} cascade; drop schema if exists ${otherSchema} cascade`);
    await admin.close();
  });

  it('an append through one store wakes a subscription of another long before its poll', async () => {
    const stream = `wake-${randomUUID()}`;
    const watcher = await watch(reader, stream);
    try {
      await waitUntil(() => reader.wakesAcrossProcesses(), WOKEN_WITHIN_MS, 'the LISTEN connection');
      for (const type of ['First', 'Second']) {
        const appendedAt = performance.now();
        await writer.append(stream, [event(type)], 'any');
        await waitUntil(
          () => watcher.seen.includes(type),
          WOKEN_WITHIN_MS,
          `${type} to reach the other store's subscription`,
        );
        expect(performance.now() - appendedAt).toBeLessThan(WOKEN_WITHIN_MS);
      }
      expect(watcher.seen).toEqual(['First', 'Second']);
    } finally {
      await watcher.stop();
    }
  });

  it('the LISTEN connection killed (pg_terminate_backend) comes back, and the appends made meanwhile are not missed', async () => {
    const stream = `kill-${randomUUID()}`;
    const watcher = await watch(reader, stream);
    const signals = reader.sql.signals as PgSignals;
    try {
      await waitUntil(() => reader.wakesAcrossProcesses(), WOKEN_WITHIN_MS, 'the LISTEN connection');
      const pid = signals.listenerPid!;
      expect(pid).toEqual(expect.any(Number));
      await admin.query('select pg_terminate_backend($1)', [pid]);
      // Appended while the listener is down or reconnecting: its NOTIFY may reach nobody.
      await writer.append(stream, [event('WhileDown')], 'any');
      await waitUntil(
        () => watcher.seen.includes('WhileDown'),
        10_000,
        'the event appended while the listener was down',
      );
      await waitUntil(() => reader.wakesAcrossProcesses(), 10_000, 'the LISTEN connection to come back');
      expect(signals.listenerPid).not.toBe(pid);
      // And wake-ups work again on the new connection.
      await writer.append(stream, [event('AfterReconnect')], 'any');
      await waitUntil(() => watcher.seen.includes('AfterReconnect'), WOKEN_WITHIN_MS, 'an append after the reconnect');
      expect(watcher.seen).toEqual(['WhileDown', 'AfterReconnect']);
    } finally {
      await watcher.stop();
    }
  });

  it('a woken read that cannot see the event yet (an older transaction still open) looks again soon, not at the next poll', async () => {
    const stream = `hidden-${randomUUID()}`;
    const watcher = await watch(reader, stream);
    const older = new PgSqlClient(testDatabaseUrl(), { schema, max: 1, notifications: false });
    try {
      await waitUntil(() => reader.wakesAcrossProcesses(), WOKEN_WITHIN_MS, 'the LISTEN connection');
      let commit!: () => void;
      const committed = older.transaction(async (tx) => {
        // This transaction takes its id before the append's: until it ends, readers may not pass it.
        await tx.query('select pg_current_xact_id()');
        await new Promise<void>((resolve) => (commit = resolve));
      });
      await waitUntil(() => commit !== undefined, WOKEN_WITHIN_MS, 'the older transaction');
      await writer.append(stream, [event('Hidden')], 'any');
      // Woken now, the subscription reads nothing: the event is stored but hidden by `older`.
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(watcher.seen).toEqual([]);
      const endedAt = performance.now();
      commit();
      await committed;
      await waitUntil(
        () => watcher.seen.includes('Hidden'),
        WOKEN_WITHIN_MS,
        'the event once the older transaction ended',
      );
      expect(performance.now() - endedAt).toBeLessThan(WOKEN_WITHIN_MS);
    } finally {
      await watcher.stop();
      await older.close();
    }
  });

  it("consistentWith waits (ProjectionRunner.waitForProgress) are woken by another process's projection progress", async () => {
    const apiSide = new PgSqlClient(testDatabaseUrl(), { schema, max: 2 });
    const workerSide = new PgSqlClient(testDatabaseUrl(), { schema, max: 2 });
    try {
      const runner = new ProjectionRunner(reader, apiSide, [], new JsonLogger('error', () => undefined));
      const progress = runner.watchProgress(); // opens the LISTEN connection
      try {
        await waitUntil(() => apiSide.signals!.healthy('projected'), WOKEN_WITHIN_MS, 'the LISTEN connection');
        await progress.next(30_000, 30_000); // the LISTEN's own wake-up (anything published before it)
        const startedAt = performance.now();
        const waited = progress.next(30_000, 30_000);
        workerSide.signals!.publish('projected');
        await waited;
        expect(performance.now() - startedAt).toBeLessThan(WOKEN_WITHIN_MS);
      } finally {
        progress.close();
      }
    } finally {
      await Promise.all([apiSide.close(), workerSide.close()]);
    }
  });

  it("another schema's notifications never reach this schema's listeners", async () => {
    const here = new PgSqlClient(testDatabaseUrl(), { schema, max: 2 });
    const hereToo = new PgSqlClient(testDatabaseUrl(), { schema, max: 2 });
    const elsewhere = new PgSqlClient(testDatabaseUrl(), { schema: otherSchema, max: 2 });
    try {
      let wakes = 0;
      here.signals!.subscribe('probe', () => wakes++);
      await waitUntil(() => here.signals!.healthy('probe'), WOKEN_WITHIN_MS, 'the LISTEN connection');
      const afterListen = wakes; // subscribing wakes once (whatever was published before)
      // The other schema's NOTIFY commits first: had it reached this listener, it would come first.
      elsewhere.signals!.publish('probe');
      await new Promise((resolve) => setTimeout(resolve, 50)); // (only orders the two NOTIFYs)
      hereToo.signals!.publish('probe');
      await waitUntil(() => wakes > afterListen, WOKEN_WITHIN_MS, "this schema's notification");
      expect(wakes).toBe(afterListen + 1);
    } finally {
      await Promise.all([here.close(), hereToo.close(), elsewhere.close()]);
    }
  });

  it('EVENT_NOTIFICATIONS=off: no LISTEN connection, subscribers keep their usual poll', async () => {
    const quiet = await createPostgresEventStore(testDatabaseUrl(), { schema, poolSize: 2, notifications: false });
    try {
      expect(quiet.sql.signals).toBeUndefined();
      quiet.onAppended(() => undefined);
      expect(quiet.wakesAcrossProcesses()).toBe(false);
    } finally {
      await quiet.close();
    }
  });
});

describe("wake-ups across threads: the embedded store's ports", () => {
  let owner: PgliteSqlClient;
  let main: SqlEventStore;
  let background: SqlEventStore;

  beforeAll(async () => {
    owner = await PgliteSqlClient.open();
    main = new SqlEventStore('embedded', owner, 'the embedded store in memory');
    await main.migrate();
    // What the background thread has: its own port to the PGlite thread.
    background = new SqlEventStore('embedded', PgliteSqlClient.attach(owner.connect()), 'the embedded store in memory');
  });

  afterAll(async () => {
    await background?.close();
    await main?.close();
  });

  it("an append through one thread's port wakes the subscription on another's, in both directions", async () => {
    const stream = `threads-${randomUUID()}`;
    const onBackground = await watch(background, stream);
    const onMain = await watch(main, stream);
    try {
      expect(background.wakesAcrossProcesses()).toBe(true);
      await main.append(stream, [event('FromMain')], 'any');
      await waitUntil(
        () => onBackground.seen.includes('FromMain'),
        WOKEN_WITHIN_MS,
        "the main thread's append on the background port",
      );
      await background.append(stream, [event('FromBackground')], 'any');
      await waitUntil(
        () => onMain.seen.includes('FromBackground'),
        WOKEN_WITHIN_MS,
        "the background port's append on the main thread",
      );
      await waitUntil(
        () => onBackground.seen.includes('FromBackground'),
        WOKEN_WITHIN_MS,
        "the background port's own append",
      );
      expect(onBackground.seen).toEqual(['FromMain', 'FromBackground']);
      expect(onMain.seen).toEqual(['FromMain', 'FromBackground']);
    } finally {
      await onBackground.stop();
      await onMain.stop();
    }
  });
});
