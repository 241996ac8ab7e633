import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent } from '../event-store/event-store';
import { createEmbeddedEventStore } from '../event-store/sql/create-sql-event-store';
import { SqlEventStore } from '../event-store/sql/sql-event-store';
import { describeOutcome, verifyEventStore } from './integrity';
import { freshPgliteDir } from '../../test/support/pglite-template';

const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { actor: 'test', occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: null },
});

/** The hash chain check, on the embedded store (same SQL as PostgreSQL), with tiny pages to cross page boundaries. */
describe('verifyIntegrity (SQL store)', () => {
  let store: SqlEventStore;
  /** Stream name -> event ids by revision. */
  let ids: Map<string, string[]>;

  let files: { dir: string; remove(): void };
  beforeAll(async () => {
    files = await freshPgliteDir(); // a fresh database without an initdb of its own
    store = await createEmbeddedEventStore(files.dir);
  });
  afterAll(() => store.close().finally(files.remove));

  beforeEach(async () => {
    await store.sql.exec('truncate ct_events, ct_streams restart identity');
    ids = new Map();
    // Interleaved appends: global positions alternate between streams.
    for (let round = 0; round < 4; round++) {
      for (const stream of ['case-a', 'case-b', 'engineer-c']) {
        const events = [event('Something', { round, stream }), event('Other', { round })];
        await store.append(stream, events, 'any');
        ids.set(stream, [...(ids.get(stream) ?? []), ...events.map((e) => e.id)]);
      }
    }
  });

  const position = async (eventId: string) =>
    (
      await store.sql.query<{ p: string }>('select global_position::text as p from ct_events where event_id = $1', [
        eventId,
      ])
    )[0].p;

  it('passes an intact store, counting events and streams, whatever the page size', async () => {
    for (const pageSize of [1, 2, 5, 7, 5000]) {
      const progress: number[] = [];
      const report = await store.verifyIntegrity((n) => progress.push(n), pageSize);
      expect(report).toEqual({ checked: 24, streams: 3, broken: null });
      expect(progress[progress.length - 1]).toBe(24);
    }
    expect(describeOutcome(await verifyEventStore(store))).toBe('verified 24 events in 3 streams');
  });

  it('names an altered event (data changed in place), not its successors', async () => {
    const target = ids.get('case-b')![3];
    await store.sql.query(`update ct_events set data = jsonb_set(data, '{x}', '1') where event_id = $1`, [target]);
    for (const pageSize of [1, 3, 5000]) {
      const report = await store.verifyIntegrity(undefined, pageSize);
      expect(report.checked).toBe(24);
      expect(report.broken).toEqual({
        streamId: 'case-b',
        revision: 3,
        eventId: target,
        position: await position(target),
        reason: expect.stringContaining('altered'),
      });
    }
  });

  it('reports the broken event with the lowest global position when there are several', async () => {
    const later = ids.get('case-a')![6];
    const earlier = ids.get('engineer-c')![1];
    await store.sql.query(
      `update ct_events set metadata = jsonb_set(metadata, '{actor}', '"mallory"') where event_id = $1`,
      [later],
    );
    await store.sql.query(`update ct_events set type = 'Forged' where event_id = $1`, [earlier]);
    const report = await store.verifyIntegrity(undefined, 4);
    expect(report.broken).toMatchObject({ streamId: 'engineer-c', revision: 1, eventId: earlier });
  });

  it('catches a missing event in the middle of a stream (a gap)', async () => {
    await store.sql.query('delete from ct_events where event_id = $1', [ids.get('case-a')![4]]);
    const report = await store.verifyIntegrity(undefined, 2);
    expect(report.broken).toMatchObject({
      streamId: 'case-a',
      revision: 5,
      eventId: ids.get('case-a')![5],
      reason: 'revision 4 is missing (revision 5 follows 3)',
    });
  });

  it('catches a missing first event', async () => {
    await store.sql.query('delete from ct_events where event_id = $1', [ids.get('engineer-c')![0]]);
    const report = await store.verifyIntegrity(undefined, 5000);
    expect(report.broken).toMatchObject({
      streamId: 'engineer-c',
      revision: 1,
      eventId: ids.get('engineer-c')![1],
      reason: 'the first event (revision 0) is missing',
    });
  });

  it('catches a truncated tail and a rewritten last event (the stream head disagrees)', async () => {
    await store.sql.query('delete from ct_events where event_id = $1', [ids.get('case-b')![7]]);
    expect((await store.verifyIntegrity()).broken).toMatchObject({
      streamId: 'case-b',
      revision: 7,
      eventId: null,
      position: null,
      reason: expect.stringContaining('revision 7 is missing'),
    });

    await store.sql.exec('truncate ct_events, ct_streams restart identity');
    await store.append('s', [event('First'), event('Last')], 'any');
    // Rewrite the last event AND its hash consistently: only the stream's head can tell.
    await store.sql.query(
      `update ct_events set data = '{"forged":true}', hash = ct_event_hash((select hash from ct_events where revision = 0), event_id, stream_id, revision, type, '{"forged":true}', metadata) where revision = 1`,
    );
    expect((await store.verifyIntegrity()).broken).toMatchObject({
      streamId: 's',
      revision: 1,
      reason: expect.stringContaining("stream's head"),
    });
  });

  it('walks revisions past 9 in numeric order (10 after 9, not after 1)', async () => {
    const events = Array.from({ length: 25 }, (_, i) => event('Long', { i }));
    await store.append('long', events, 'no_stream');
    for (const pageSize of [3, 10, 5000])
      expect(await store.verifyIntegrity(undefined, pageSize)).toEqual({ checked: 49, streams: 4, broken: null });
    await store.sql.query('delete from ct_events where event_id = $1', [events[10].id]);
    expect((await store.verifyIntegrity(undefined, 4)).broken).toMatchObject({
      streamId: 'long',
      revision: 11,
      reason: 'revision 10 is missing (revision 11 follows 9)',
    });
  });

  it('says when a store keeps no hash chain (EventStoreDB)', async () => {
    const noChain = { kind: 'eventstoredb' } as EventStore;
    const outcome = await verifyEventStore(noChain);
    expect(outcome).toEqual({ status: 'unsupported', store: 'eventstoredb' });
    expect(describeOutcome(outcome)).toBe(
      'verification is not supported by the eventstoredb event store (it keeps no hash chain)',
    );
  });
});
