import { randomUUID } from 'node:crypto';
import { CatchUpSubscription } from '../catch-up-subscription';
import { compareCheckpoints } from '../checkpoint';
import { Checkpoint, EventStore, NewEvent, RecordedEvent } from '../event-store';
import { WrongExpectedRevisionError } from '../event-store.errors';

/**
 * The behaviour every EventStore adapter must have. Each adapter's *.int.spec.ts calls this with a
 * factory for a store of its own (own schema, own database, or unique stream names), so the suite
 * also runs against stores that hold other data: it only looks at the streams it created.
 */
export function describeEventStoreConformance(
  name: string,
  factory: () => Promise<{ store: EventStore; cleanup(): Promise<void> }>,
): void {
  describe(`EventStore conformance: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    const run = randomUUID().slice(0, 8);
    let streamCounter = 0;
    const newStream = (label = 'stream') => `conf${run}-${label}-${++streamCounter}`;

    beforeAll(async () => {
      ({ store, cleanup } = await factory());
    });
    afterAll(async () => {
      await cleanup?.();
    });

    /**
     * This run's events through readAll pages of `pageSize`, reading again until `until` holds:
     * on PostgreSQL a transaction still open anywhere in the cluster (another test file, a
     * benchmark) holds the visibility horizon back for a while; events then arrive late, never out
     * of order and never skipped.
     */
    async function readAllOfRun(
      pageSize = 100,
      after: Checkpoint | null = null,
      until: (events: RecordedEvent[]) => boolean = () => true,
    ): Promise<RecordedEvent[]> {
      const seen: RecordedEvent[] = [];
      let checkpoint = after;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const page = await store.readAll({ after: checkpoint, maxCount: pageSize });
        if (page.events.length === 0) {
          if (until(seen) || Date.now() > deadline) return seen;
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        seen.push(...page.events.filter((e) => e.streamId.startsWith(`conf${run}-`)));
        checkpoint = page.checkpoint;
      }
    }

    describe('expected revision', () => {
      it('no_stream creates a stream at revision 0 and refuses an existing one', async () => {
        const stream = newStream();
        const first = await store.append(stream, [event('A')], 'no_stream');
        expect(first).toMatchObject({ nextRevision: 0, duplicate: false });
        const conflict = await store.append(stream, [event('B')], 'no_stream').catch((e) => e);
        expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
        expect(conflict).toMatchObject({ streamId: stream, expected: 'no_stream', actual: 0 });
        expect(await types(stream)).toEqual(['A']);
      });

      it('stream_exists refuses a missing stream and accepts an existing one', async () => {
        const stream = newStream();
        const conflict = await store.append(stream, [event('A')], 'stream_exists').catch((e) => e);
        expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toEqual([]);
        await store.append(stream, [event('A')], 'any');
        const second = await store.append(stream, [event('B'), event('C')], 'stream_exists');
        expect(second.nextRevision).toBe(2);
        expect(await types(stream)).toEqual(['A', 'B', 'C']);
      });

      it('an exact revision appends only when it is current; a stale one is a typed conflict that writes nothing', async () => {
        const stream = newStream();
        await store.append(stream, [event('A'), event('B')], 'no_stream');
        const ok = await store.append(stream, [event('C')], 1);
        expect(ok.nextRevision).toBe(2);
        const stale = await store.append(stream, [event('D'), event('E')], 1).catch((e) => e);
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale).toMatchObject({ expected: 1, actual: 2 });
        const ahead = await store.append(stream, [event('D')], 7).catch((e) => e);
        expect(ahead).toBeInstanceOf(WrongExpectedRevisionError);
        const missing = await store.append(newStream(), [event('X')], 0).catch((e) => e);
        expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await types(stream)).toEqual(['A', 'B', 'C']);
      });

      it('any appends whatever the stream holds', async () => {
        const stream = newStream();
        expect((await store.append(stream, [event('A')], 'any')).nextRevision).toBe(0);
        expect((await store.append(stream, [event('B')], 'any')).nextRevision).toBe(1);
      });

      it('positions grow with each append and name the last event written', async () => {
        const stream = newStream();
        const first = await store.append(stream, [event('A'), event('B')], 'no_stream');
        const second = await store.append(stream, [event('C')], 1);
        const read = await store.readStream(stream);
        expect(read[1].position).toBe(first.position);
        expect(read[2].position).toBe(second.position);
        expect(BigInt(second.position) > BigInt(first.position)).toBe(true);
        expect(await store.checkpointOfPosition(second.position)).toBe(read[2].checkpoint);
        expect(await store.checkpointOfPosition('999999999999')).toBeNull();
      });
    });

    describe('idempotent appends', () => {
      it('re-appending the same event ids is a no-op that returns the first answer', async () => {
        const stream = newStream();
        const batch = [event('A'), event('B')];
        const first = await store.append(stream, batch, 'no_stream');
        const retry = await store.append(stream, batch, 'no_stream');
        expect(retry).toEqual({ ...first, duplicate: true });
        const next = [event('C')];
        const third = await store.append(stream, next, 1);
        expect(await store.append(stream, next, 1)).toEqual({ ...third, duplicate: true });
        expect(await types(stream)).toEqual(['A', 'B', 'C']);
      });
    });

    // Stores may carry concurrent appends in one write (group commit): each append must still get
    // its own answer and its own checks.
    describe('concurrent appends', () => {
      it('a burst to many streams: every append answers its own revision and position', async () => {
        const streams = Array.from({ length: 12 }, () => newStream('burst'));
        const appends = streams.flatMap((stream) => [
          { stream, events: [event('A'), event('B')], expected: 'any' as const },
          { stream, events: [event('C')], expected: 'any' as const },
          { stream, events: [event('D'), event('E'), event('F')], expected: 'any' as const },
        ]);
        const results = await Promise.all(appends.map((a) => store.append(a.stream, a.events, a.expected)));
        for (const stream of streams) {
          const stored = await store.readStream(stream);
          expect(stored).toHaveLength(6);
          const mine = appends.map((a, i) => ({ ...a, result: results[i] })).filter((a) => a.stream === stream);
          // Whatever order they landed in, each answer names its own last event.
          expect(new Set(mine.map((a) => a.result.nextRevision)).size).toBe(3);
          for (const a of mine) {
            const last = stored[a.result.nextRevision];
            expect(last.id).toBe(a.events[a.events.length - 1].id);
            expect(last.position).toBe(a.result.position);
            expect(a.result.duplicate).toBe(false);
            expect(
              stored.slice(a.result.nextRevision - a.events.length + 1, a.result.nextRevision + 1).map((e) => e.id),
            ).toEqual(a.events.map((e) => e.id));
          }
        }
      });

      it('a burst racing on one revision: one append wins per stream, the others are conflicts that write nothing', async () => {
        const streams = Array.from({ length: 6 }, () => newStream('race'));
        await Promise.all(streams.map((stream) => store.append(stream, [event('Start')], 'no_stream')));
        const attempts = streams.flatMap((stream) =>
          Array.from({ length: 5 }, (_, k) => ({ stream, e: event(`Try${k}`) })),
        );
        const outcomes = await Promise.all(
          attempts.map((a) =>
            store.append(a.stream, [a.e], 0).then(
              (r) => r,
              (error) => error,
            ),
          ),
        );
        for (const stream of streams) {
          const mine = attempts.map((a, i) => ({ ...a, outcome: outcomes[i] })).filter((a) => a.stream === stream);
          const won = mine.filter((a) => !(a.outcome instanceof Error));
          expect(won).toHaveLength(1);
          expect(won[0].outcome).toMatchObject({ nextRevision: 1, duplicate: false });
          for (const lost of mine.filter((a) => a.outcome instanceof Error)) {
            expect(lost.outcome).toBeInstanceOf(WrongExpectedRevisionError);
            expect(lost.outcome).toMatchObject({ streamId: stream, expected: 0, actual: 1 });
          }
          expect((await store.readStream(stream)).map((e) => e.id)).toEqual([expect.any(String), won[0].e.id]);
        }
      });
    });

    describe('reading a stream', () => {
      it('reads forwards and backwards with bounds, and keeps data and metadata', async () => {
        const stream = newStream();
        const written = ['A', 'B', 'C', 'D', 'E'].map((t) => event(t, { n: t.charCodeAt(0) }));
        await store.append(stream, written, 'no_stream');
        const all = await store.readStream(stream);
        expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        expect(all[0]).toMatchObject({
          id: written[0].id,
          streamId: stream,
          type: 'A',
          data: { n: 65, nested: { list: [1, 'two', null] } },
          metadata: written[0].metadata,
        });
        expect((await store.readStream(stream, { fromRevision: 2, maxCount: 2 })).map((e) => e.type)).toEqual([
          'C',
          'D',
        ]);
        expect((await store.readStream(stream, { direction: 'backwards' })).map((e) => e.type)).toEqual([
          'E',
          'D',
          'C',
          'B',
          'A',
        ]);
        expect(
          (await store.readStream(stream, { direction: 'backwards', fromRevision: 3, maxCount: 2 })).map((e) => e.type),
        ).toEqual(['D', 'C']);
        expect(await store.readStream(stream, { fromRevision: 5 })).toEqual([]);
        expect(await store.readStream(newStream('missing'))).toEqual([]);
      });
    });

    describe('ordering past one digit', () => {
      it('a batch of 25 events reads back in revision order, forwards, backwards and in all events', async () => {
        const stream = newStream('long');
        const start = await lastCheckpoint();
        const types = Array.from({ length: 25 }, (_, i) => `T${i}`);
        await store.append(
          stream,
          types.map((t) => event(t)),
          'no_stream',
        );
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(types);
        expect((await store.readStream(stream, { direction: 'backwards' })).map((e) => e.type)).toEqual(
          [...types].reverse(),
        );
        const all = (
          await readAllOfRun(7, start, (seen) => seen.filter((e) => e.streamId === stream).length >= 25)
        ).filter((e) => e.streamId === stream);
        expect(all.map((e) => e.type)).toEqual(types);
        expect(all.map((e) => e.revision)).toEqual(types.map((_, i) => i));
      });
    });

    describe('reading all events', () => {
      it('returns every event once, in stream order, resuming after a checkpoint (exclusive)', async () => {
        const before = await readAllOfRun();
        const a = newStream('a');
        const b = newStream('b');
        await store.append(a, [event('A1'), event('A2')], 'no_stream');
        await store.append(b, [event('B1')], 'no_stream');
        await store.append(a, [event('A3')], 1);
        const ours = (e: RecordedEvent) => e.streamId === a || e.streamId === b;
        const all = (await readAllOfRun(2, null, (seen) => seen.filter(ours).length >= 4)).filter(ours);
        expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3']);
        for (let i = 1; i < all.length; i++)
          expect(compareCheckpoints(all[i - 1].checkpoint, all[i].checkpoint)).toBeLessThan(0);
        const rest = (await readAllOfRun(100, all[1].checkpoint, (seen) => seen.filter(ours).length >= 2)).filter(ours);
        expect(rest.map((e) => e.type)).toEqual(['B1', 'A3']);
        expect(before.length).toBeGreaterThanOrEqual(0);
      });

      it('20 concurrent writers x 200 events: a reader tailing during the writes sees each event exactly once, in stream order', async () => {
        const writers = 20;
        const perWriter = 200;
        const shared = Array.from({ length: 5 }, () => newStream('shared'));
        const start = await lastCheckpoint();
        const ids = new Set<string>();
        let done = false;

        const writing = Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            const own = newStream(`writer${w}`);
            for (let i = 0; i < perWriter; i++) {
              // Half to the writer's own stream, half to streams shared by all writers.
              const target = i % 2 === 0 ? own : shared[(w + i) % shared.length];
              const e = event(`W${w}`, { i });
              ids.add(e.id);
              await store.append(target, [e], 'any');
            }
          }),
        ).finally(() => {
          done = true;
        });

        const seen: RecordedEvent[] = [];
        let checkpoint = start;
        const tail = async () => {
          const expected = writers * perWriter;
          let deadline = Infinity;
          for (;;) {
            if (done && deadline === Infinity) deadline = Date.now() + 30_000;
            const page = await store.readAll({ after: checkpoint, maxCount: 250 });
            seen.push(...page.events.filter((e) => e.streamId.startsWith(`conf${run}-`)));
            checkpoint = page.checkpoint;
            if (page.events.length === 0) {
              // Done when everything arrived, or (to fail with a count) when it never does.
              if (seen.length >= expected || Date.now() > deadline) return;
              await new Promise((r) => setTimeout(r, 5));
            }
          }
        };
        await Promise.all([writing, tail()]);

        expect(seen).toHaveLength(writers * perWriter);
        expect(new Set(seen.map((e) => e.id))).toEqual(ids);
        const lastRevision = new Map<string, number>();
        for (const e of seen) {
          expect(e.revision).toBe((lastRevision.get(e.streamId) ?? -1) + 1);
          lastRevision.set(e.streamId, e.revision);
        }
      }, 120_000);
    });

    describe('catch-up subscription', () => {
      it('stopped and resumed from its checkpoint, it misses nothing and repeats nothing', async () => {
        const stream = newStream('sub');
        const start = await lastCheckpoint();
        const received: string[] = [];
        let saved: Checkpoint | null = start;
        const subscribe = () =>
          new CatchUpSubscription(store, {
            from: saved,
            batchSize: 7,
            pollIntervalMs: 20,
            handle: async (events) => {
              received.push(...events.filter((e) => e.streamId === stream).map((e) => e.type));
              saved = events[events.length - 1].checkpoint;
            },
          }).start();

        let subscription = subscribe();
        for (let i = 0; i < 30; i++) await store.append(stream, [event(`E${i}`)], 'any');
        await waitFor(() => received.length === 30);
        await subscription.stop();

        for (let i = 30; i < 60; i++) await store.append(stream, [event(`E${i}`)], 'any');
        expect(received).toHaveLength(30);
        subscription = subscribe();
        await waitFor(() => received.length >= 60);
        await new Promise((r) => setTimeout(r, 100));
        await subscription.stop();
        expect(received).toEqual(Array.from({ length: 60 }, (_, i) => `E${i}`));
      });
    });

    /** The checkpoint after every event readable now, so a test can watch only what follows. */
    async function lastCheckpoint(): Promise<Checkpoint | null> {
      let checkpoint: Checkpoint | null = null;
      for (;;) {
        const page = await store.readAll({ after: checkpoint, maxCount: 1000 });
        if (page.events.length === 0) return checkpoint;
        checkpoint = page.checkpoint;
      }
    }

    async function types(stream: string): Promise<string[]> {
      return (await store.readStream(stream)).map((e) => e.type);
    }
  });
}

function event(type: string, data: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data: { ...data, nested: { list: [1, 'two', null] } },
    metadata: {
      actor: 'conformance',
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: null,
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
