import { randomUUID } from 'node:crypto';
import {
  AppendStreamState,
  KurrentDBClient,
  Position,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { EventMetadata, NewEvent } from '../event-store';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import { compareCheckpoints } from '../checkpoint';
import {
  createEventStoreDbEventStore,
  EventStoreDbEventStore,
  redactConnectionString,
} from './eventstoredb-event-store';

/**
 * The adapter's mapping logic against an in-memory stand-in for the client that behaves as the
 * server does where it matters here: reads of $all include the event at `fromPosition`, a missing
 * stream is StreamNotFoundError, a conflict is WrongExpectedVersionError, and every event has
 * commit = prepare = its log position. The real server is covered by the int spec.
 */
interface StoredEvent {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  isJson: true;
  created: Date;
  position: Position;
}

class FakeClient {
  log: StoredEvent[] = [];
  private next = 100n;
  appends = 0;

  system(count: number): void {
    for (let i = 0; i < count; i++)
      this.write('$stats-node', [{ id: randomUUID(), type: '$statsCollected', data: {}, metadata: {} }]);
  }

  private write(
    streamId: string,
    events: Array<{ id: string; type: string; data: unknown; metadata: unknown }>,
  ): Position {
    let revision = BigInt(this.log.filter((e) => e.streamId === streamId).length);
    let position: Position = { commit: 0n, prepare: 0n };
    for (const e of events) {
      position = { commit: this.next, prepare: this.next };
      this.next += 137n;
      this.log.push({
        streamId,
        id: e.id,
        revision: revision++,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        isJson: true,
        created: new Date(),
        position,
      });
    }
    return position;
  }

  async appendToStream(
    streamId: string,
    events: Array<{ id: string; type: string; data: unknown; metadata: unknown }>,
    { streamState }: { streamState: AppendStreamState },
  ) {
    this.appends++;
    const current = BigInt(this.log.filter((e) => e.streamId === streamId).length) - 1n;
    const ok =
      streamState === 'any' ||
      (streamState === 'no_stream' && current === -1n) ||
      (streamState === 'stream_exists' && current >= 0n) ||
      (typeof streamState === 'bigint' && streamState === current);
    if (!ok) {
      throw new WrongExpectedVersionError(undefined, {
        streamName: streamId,
        expected: streamState,
        current: current === -1n ? 'no_stream' : current,
      });
    }
    const position = this.write(streamId, events);
    return { success: true, nextExpectedRevision: current + BigInt(events.length), position };
  }

  async *readStream(
    streamId: string,
    options: { direction: string; fromRevision: 'start' | 'end' | bigint; maxCount: number | bigint },
  ) {
    let events = this.log.filter((e) => e.streamId === streamId);
    if (events.length === 0) throw new StreamNotFoundError(undefined, streamId);
    if (options.direction === 'backwards') {
      events = events.reverse();
      if (typeof options.fromRevision === 'bigint')
        events = events.filter((e) => e.revision <= (options.fromRevision as bigint));
    } else if (typeof options.fromRevision === 'bigint') {
      events = events.filter((e) => e.revision >= (options.fromRevision as bigint));
    }
    for (const event of events.slice(0, Number(options.maxCount))) yield { event };
  }

  async *readAll(options: { direction: string; fromPosition: 'start' | 'end' | Position; maxCount: number | bigint }) {
    let events = [...this.log];
    if (options.direction === 'backwards') events.reverse();
    else if (typeof options.fromPosition === 'object') {
      const from = options.fromPosition;
      events = events.filter((e) => e.position.commit >= from.commit);
    }
    for (const event of events.slice(0, Number(options.maxCount)))
      yield { event, commitPosition: event.position.commit };
  }

  async dispose() {}
}

function event(type: string): NewEvent {
  const metadata: EventMetadata = {
    actor: 'test',
    occurredAt: '2026-01-01T00:00:00.000Z',
    correlationId: randomUUID(),
    causationId: null,
  };
  return { id: randomUUID(), type, data: { n: 1 }, metadata };
}

describe('EventStoreDbEventStore (client mapping)', () => {
  let fake: FakeClient;
  let store: EventStoreDbEventStore;
  beforeEach(() => {
    fake = new FakeClient();
    store = new EventStoreDbEventStore(fake as unknown as KurrentDBClient, 'esdb://test');
  });

  it('maps expected revisions and conflicts, with the actual revision (-1 for no stream)', async () => {
    const first = await store.append('s-1', [event('A'), event('B')], 'no_stream');
    expect(first).toEqual({ nextRevision: 1, position: fake.log[1].position.commit.toString(), duplicate: false });
    await expect(store.append('s-1', [event('C')], 'no_stream')).rejects.toMatchObject({
      actual: 1,
      expected: 'no_stream',
    });
    await expect(store.append('s-2', [event('C')], 'stream_exists')).rejects.toMatchObject({ actual: -1 });
    const stale = await store.append('s-1', [event('C')], 0).catch((e) => e);
    expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
    expect(stale).toMatchObject({ streamId: 's-1', expected: 0, actual: 1 });
    expect((await store.append('s-1', [event('C')], 1)).nextRevision).toBe(2);
  });

  it('answers a retried append with the first answer and duplicate: true, without writing', async () => {
    const batch = [event('A'), event('B')];
    const first = await store.append('s', batch, 'no_stream');
    expect(await store.append('s', batch, 'no_stream')).toEqual({ ...first, duplicate: true });
    const next = [event('C')];
    const third = await store.append('s', next, 1);
    expect(await store.append('s', next, 1)).toEqual({ ...third, duplicate: true });
    expect(await store.append('s', next, 'any')).toEqual({ ...third, duplicate: true });
    expect(fake.appends).toBe(2);
    const read = await store.readStream('s');
    expect(read.map((e) => e.type)).toEqual(['A', 'B', 'C']);
    expect(read[1].position).toBe(first.position);
    expect(await store.checkpointOfPosition(third.position)).toBe(read[2].checkpoint);
    expect(await store.checkpointOfPosition('999999999')).toBeNull();
    expect(await store.checkpointOfPosition('101')).toBeNull();
  });

  it('reads streams in both directions with bounds; a missing stream is []', async () => {
    await store.append('s', ['A', 'B', 'C', 'D', 'E'].map(event), 'no_stream');
    expect((await store.readStream('s', { fromRevision: 2, maxCount: 2 })).map((e) => e.type)).toEqual(['C', 'D']);
    expect(
      (await store.readStream('s', { direction: 'backwards', fromRevision: 3, maxCount: 2 })).map((e) => e.type),
    ).toEqual(['D', 'C']);
    expect((await store.readStream('s', { direction: 'backwards' })).map((e) => e.revision)).toEqual([4, 3, 2, 1, 0]);
    expect(await store.readStream('nope')).toEqual([]);
    const [a] = await store.readStream('s');
    expect(a).toMatchObject({ streamId: 's', revision: 0, type: 'A', data: { n: 1 }, metadata: { actor: 'test' } });
    expect(a.checkpoint).toBe(`${a.position}:${a.position}`);
  });

  it('reads $all after a checkpoint (exclusive), skips system events and still moves past them', async () => {
    fake.system(5);
    await store.append('a', [event('A1'), event('A2')], 'no_stream');
    fake.system(7);
    await store.append('b', [event('B1')], 'no_stream');
    fake.system(3);

    const first = await store.readAll({ maxCount: 2 });
    expect(first.events.map((e) => e.type)).toEqual(['A1', 'A2']);
    const second = await store.readAll({ after: first.checkpoint, maxCount: 2 });
    expect(second.events.map((e) => e.type)).toEqual(['B1']);
    expect(compareCheckpoints(second.events[0].checkpoint, first.checkpoint)).toBeGreaterThan(0);
    const third = await store.readAll({ after: second.checkpoint, maxCount: 2 });
    expect(third.events).toEqual([]);
    // Past the trailing system events, and stable from there.
    expect(third.checkpoint).toBe(
      `${fake.log[fake.log.length - 1].position.commit}:${fake.log[fake.log.length - 1].position.prepare}`,
    );
    expect(await store.readAll({ after: third.checkpoint })).toEqual({ events: [], checkpoint: third.checkpoint });

    const one = await store.readAll({ after: first.events[0].checkpoint, maxCount: 1 });
    expect(one.events.map((e) => e.type)).toEqual(['A2']);
    expect(one.checkpoint).toBe(first.events[1].checkpoint);
  });

  it('names EventStoreDB, the address and the way to start it when unreachable', async () => {
    const real = await createEventStoreDbEventStore('esdb://admin:secret@127.0.0.1:1?tls=false');
    try {
      const error = await real.ping().catch((e) => e);
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
      expect(error.message).toContain('EventStoreDB at esdb://admin:***@127.0.0.1:1?tls=false is unreachable');
      expect(error.message).toContain('docker compose -f docker/compose.yaml up -d eventstoredb');
      expect(error.message).not.toContain('secret');
      expect(error.message).not.toContain('\n');
    } finally {
      await real.close();
    }
  });

  it('redacts passwords and refuses malformed connection strings', async () => {
    expect(redactConnectionString('kurrentdb://u:p@h:2113?tls=false')).toBe('kurrentdb://u:***@h:2113?tls=false');
    expect(redactConnectionString('esdb://h:2113?tls=false')).toBe('esdb://h:2113?tls=false');
    await expect(createEventStoreDbEventStore('http://h:2113')).rejects.toThrow(/EVENTSTORE_CONNECTION_STRING/);
  });
});
