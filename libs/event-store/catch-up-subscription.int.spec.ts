import { randomUUID } from 'node:crypto';
import { CatchUpSubscription } from './catch-up-subscription';
import { NewEvent } from './event-store';
import { createEmbeddedEventStore } from './sql/create-sql-event-store';
import { SqlEventStore } from './sql/sql-event-store';

const event = (): NewEvent => ({
  id: randomUUID(),
  type: 'Tick',
  data: {},
  metadata: { actor: 'test', occurredAt: new Date(0).toISOString(), correlationId: randomUUID(), causationId: null },
});

/** Coalesced wake-ups on a real (embedded) store: many append hints, few reads. */
describe('CatchUpSubscription: one read per gather interval however many hints arrive', () => {
  let store: SqlEventStore;
  beforeAll(async () => {
    store = await createEmbeddedEventStore(undefined);
  });
  afterAll(async () => {
    await store.close();
  });

  /** When each readAll of the store starts. */
  function recordReads(): number[] {
    const reads: number[] = [];
    const readAll = store.readAll.bind(store);
    jest.spyOn(store, 'readAll').mockImplementation((options) => {
      reads.push(performance.now());
      return readAll(options);
    });
    return reads;
  }

  /** Waits until `done` (or the deadline: the assertions after it then say what is missing). */
  async function until(done: () => boolean, deadline: number): Promise<void> {
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  }

  /** Appends `count` events one by one, each to a stream of its own, as separate commands do; their ids. */
  async function appendOneByOne(prefix: string, count: number, pauseMs = 0): Promise<string[]> {
    const appended: string[] = [];
    for (let i = 0; i < count; i++) {
      const e = event();
      appended.push(e.id);
      await store.append(`${prefix}-${i}`, [e], 'no_stream');
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
    return appended;
  }

  it('a burst of appends, each with its hint, is read in a few batches spaced by the gather interval, and every event is handed over once', async () => {
    const GATHER_MS = 50;
    const seen: string[] = [];
    const subscription = new CatchUpSubscription(store, {
      from: null,
      // Only the hints wake it: the poll would come long after this test.
      pollIntervalMs: 60_000,
      minReadIntervalMs: GATHER_MS,
      handle: async (events) => void seen.push(...events.map((e) => e.id)),
    }).start();
    const reads = recordReads();
    let hints = 0;
    const unsubscribe = store.onAppended(() => hints++);
    try {
      // Wait for the first (empty) read, then append 120 events one by one, as separate commands do.
      const deadline = Date.now() + 30_000;
      await until(() => reads.length > 0, deadline);
      const appended = await appendOneByOne('tick', 120);
      await until(() => seen.length >= appended.length, deadline);
      expect(seen).toEqual(appended);
      expect(hints).toBeGreaterThanOrEqual(120);
      // Each read starts at least a gather interval after the one before (a little timer slack allowed).
      const gaps = reads.slice(1).map((at, i) => at - reads[i]);
      expect(gaps.filter((gap) => gap < GATHER_MS - 2)).toEqual([]);
      expect(reads.length).toBeLessThan(hints);
    } finally {
      unsubscribe();
      await subscription.stop();
      jest.restoreAllMocks();
    }
  });

  it('with a rest after each batch, a slow consumer yields between batches and the appends meanwhile make its next batch', async () => {
    const REST_MS = 50;
    const HANDLING_MS = 40;
    const seen: string[] = [];
    const batches: Array<{ end: number; size: number }> = [];
    const subscription = new CatchUpSubscription(store, {
      from: (await store.headCheckpoint()) ?? null, // after the other test's events
      pollIntervalMs: 60_000,
      restAfterBatchMs: REST_MS,
      handle: async (events) => {
        await new Promise((r) => setTimeout(r, HANDLING_MS));
        seen.push(...events.map((e) => e.id));
        batches.push({ end: performance.now(), size: events.length });
      },
    }).start();
    const reads = recordReads();
    try {
      const deadline = Date.now() + 60_000;
      await until(() => reads.length > 0, deadline);
      // Appends keep coming, a few milliseconds apart, while batches are handled.
      const appended = await appendOneByOne('slow', 60, 3);
      await until(() => seen.length >= appended.length, deadline);
      expect(seen).toEqual(appended);
      expect(batches.length).toBeGreaterThan(1);
      // No read starts within the rest after the batch before it (timer slack allowed). Without
      // the rest this handler, slower than the gather interval, is read for again at once.
      for (const batch of batches.slice(0, -1)) {
        const next = reads.find((at) => at > batch.end);
        if (next !== undefined) expect(next - batch.end).toBeGreaterThanOrEqual(REST_MS - 2);
      }
    } finally {
      await subscription.stop();
      jest.restoreAllMocks();
    }
  });
});
