import { randomUUID } from 'node:crypto';
import { Decider } from '../../domain/shared/decider';
import { IllegalStateError, NotFoundError } from '../../domain/shared/domain-errors';
import { EventStore, ReadStreamOptions, RecordedEvent } from '../../event-store/event-store';
import { createEmbeddedEventStore } from '../../event-store/sql/create-sql-event-store';
import { SqlEventStore } from '../../event-store/sql/sql-event-store';
import { FixedClock } from '../clock/clock';
import { SYSTEM_PRINCIPAL } from '../auth/principal';
import { CommandHandler } from './handle-command';
import { StaleRevisionError } from './command-errors';
import { freshPgliteDir } from '../../../test/support/pglite-template';

/** A tally: adding is refused past a limit (a decision that depends on the whole history). */
type Add = { type: 'Add'; n: number };
type Added = { type: 'Added'; data: { n: number } };
const LIMIT = 10;
const tally: Decider<Add, Added, { total: number; adds: number }> = {
  initialState: () => ({ total: 0, adds: 0 }),
  decide: (command, state) => {
    if (state.total + command.n > LIMIT) throw new IllegalStateError(`the total would pass ${LIMIT}`);
    return [{ type: 'Added', data: { n: command.n } }];
  },
  evolve: (state, event) => ({ total: state.total + event.data.n, adds: state.adds + 1 }),
  eventTypes: ['Added'],
};

/** The real store, with a log of the stream reads it served (where each started, how many came back). */
class ReadLog implements Pick<EventStore, 'readStream' | 'append'> {
  readonly reads: Array<{ from: number | undefined; events: number }> = [];
  constructor(private readonly store: EventStore) {}
  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events = await this.store.readStream(streamId, options);
    this.reads.push({ from: options?.fromRevision, events: events.length });
    return events;
  }
  append: EventStore['append'] = (...args) => this.store.append(...args);
}

/** Two runners on one store stand for two API processes, each with its own state cache. */
describe('CommandHandler: a stale cached state is caught up, not re-read', () => {
  let store: SqlEventStore;
  let files: { dir: string; remove(): void };
  beforeAll(async () => {
    files = await freshPgliteDir(); // a fresh database without an initdb of its own
    store = await createEmbeddedEventStore(files.dir);
  });
  afterAll(() => store.close().finally(files.remove));

  const runnerOn = (log: ReadLog) =>
    new CommandHandler(log as unknown as EventStore, new FixedClock(new Date('2026-03-02T09:00:00Z')));
  const add = (runner: CommandHandler, streamId: string, n: number) =>
    runner.handleCommand({
      decider: tally,
      streamId,
      command: { type: 'Add', n },
      metadata: { principal: SYSTEM_PRINCIPAL, correlationId: 'c', causationId: null },
    });

  it('after a conflict, reads only the events the other writer appended, and decides on the whole stream', async () => {
    const streamId = `tally-${randomUUID()}`;
    const a = new ReadLog(store);
    const b = new ReadLog(store);
    const runnerA = runnerOn(a);
    const runnerB = runnerOn(b);

    await add(runnerA, streamId, 1); // A reads the (empty) stream, caches revision 0
    await add(runnerB, streamId, 2); // B reads revision 0, appends revision 1
    await add(runnerB, streamId, 3); // B's cache is current: no read
    expect(b.reads).toEqual([{ from: undefined, events: 1 }]);

    // A's cache is at revision 0: its append conflicts, it reads from revision 1 only.
    const outcome = await add(runnerA, streamId, 4);
    expect(a.reads).toEqual([
      { from: undefined, events: 0 },
      { from: 1, events: 2 },
    ]);
    expect(outcome.state).toEqual({ total: 10, adds: 4 });
    expect(outcome.revision).toBe(3);
    const stored = await store.readStream(streamId);
    expect(stored.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(outcome.position).toBe(stored[3].position);
  });

  it('a refusal on a stale state is decided again on the caught-up state', async () => {
    const streamId = `tally-${randomUUID()}`;
    const a = new ReadLog(store);
    const runnerA = runnerOn(a);
    const runnerB = runnerOn(new ReadLog(store));
    await add(runnerA, streamId, 2);
    await add(runnerB, streamId, 7); // total 9, unknown to A
    // On its cached total (2) A would accept 5; the stream's total (9) refuses it.
    await expect(add(runnerA, streamId, 5)).rejects.toThrow(/would pass 10/);
    expect(a.reads.at(-1)).toEqual({ from: 1, events: 1 });
    expect((await store.readStream(streamId)).length).toBe(2);
    // And the caught-up state is kept: 1 more fits without a conflict or a read.
    const reads = a.reads.length;
    expect((await add(runnerA, streamId, 1)).state).toEqual({ total: 10, adds: 3 });
    expect(a.reads.length).toBe(reads);
  });

  it('a stale If-Match is a StaleRevisionError (no HTTP type), also after another writer, and writes nothing', async () => {
    const streamId = `tally-${randomUUID()}`;
    const runnerA = runnerOn(new ReadLog(store));
    const runnerB = runnerOn(new ReadLog(store));
    await add(runnerA, streamId, 1);
    await add(runnerB, streamId, 1); // revision 1, unknown to A's cache
    const metadata = { principal: SYSTEM_PRINCIPAL, correlationId: 'c', causationId: null, expectedRevision: 0 };
    const stale = runnerA.handleCommand({ decider: tally, streamId, command: { type: 'Add', n: 1 }, metadata });
    await expect(stale).rejects.toBeInstanceOf(StaleRevisionError);
    await expect(stale).rejects.toMatchObject({ expected: 0, actual: 1 });
    expect((await store.readStream(streamId)).length).toBe(2);
    // With the revision the stream is at, it runs.
    const current = await runnerA.handleCommand({
      decider: tally,
      streamId,
      command: { type: 'Add', n: 1 },
      metadata: { ...metadata, expectedRevision: 1 },
    });
    expect(current.revision).toBe(2);
  });

  it("authorize runs before If-Match: a caller who may not see the stream gets the caller's error, not its revision", async () => {
    const streamId = `tally-${randomUUID()}`;
    const runner = runnerOn(new ReadLog(store));
    await add(runner, streamId, 1);
    const hidden = runner.handleCommand({
      decider: tally,
      streamId,
      command: { type: 'Add', n: 1 },
      metadata: { principal: SYSTEM_PRINCIPAL, correlationId: 'c', causationId: null, expectedRevision: 7 },
      authorize: () => {
        throw new NotFoundError('tally not found');
      },
    });
    await expect(hidden).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.readStream(streamId)).length).toBe(1);
  });
});
