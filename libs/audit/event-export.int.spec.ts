import { randomUUID } from 'node:crypto';
import { NewEvent } from '../event-store/event-store';
import { createEmbeddedEventStore } from '../event-store/sql/create-sql-event-store';
import { SqlEventStore } from '../event-store/sql/sql-event-store';
import { eventsInRange, ExportedEvent, streamEvents, streamExists } from './event-export';
import { freshPgliteDir } from '../../test/support/pglite-template';

const at = (iso: string, n: number): NewEvent => ({
  id: randomUUID(),
  type: 'Tick',
  data: { n },
  metadata: { actor: 'test', occurredAt: iso, correlationId: randomUUID(), causationId: null },
});

async function collect(lines: AsyncGenerator<ExportedEvent>): Promise<ExportedEvent[]> {
  const all: ExportedEvent[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

describe('event export (paged reads)', () => {
  let store: SqlEventStore;
  let files: { dir: string; remove(): void };
  beforeAll(async () => {
    files = await freshPgliteDir(); // a fresh database without an initdb of its own
    store = await createEmbeddedEventStore(files.dir);
    // 7 events in case-x at minutes 0..6, interleaved with 3 in case-y at minutes 10..12.
    for (let i = 0; i < 7; i++) {
      await store.append('case-x', [at(`2026-11-10T09:0${i}:00.000Z`, i)], 'any');
      if (i < 3) await store.append('case-y', [at(`2026-11-10T09:1${i}:00.000Z`, 100 + i)], 'any');
    }
  });
  afterAll(() => store.close().finally(files.remove));

  it('streams a whole stream across page boundaries, in revision order', async () => {
    for (const pageSize of [1, 2, 3, 7, 1000]) {
      const lines = await collect(streamEvents(store, 'case-x', { pageSize }));
      expect(lines.map((l) => [l.revision, l.data.n])).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => [n, n]));
      expect(Object.keys(lines[0]).sort()).toEqual([
        'data',
        'eventId',
        'metadata',
        'position',
        'revision',
        'streamId',
        'type',
      ]);
    }
    expect(await collect(streamEvents(store, 'case-none'))).toEqual([]);
    expect(await streamExists(store, 'case-x')).toBe(true);
    expect(await streamExists(store, 'case-none')).toBe(false);
  });

  it('keeps the events whose occurredAt is in [from, to), across streams and pages', async () => {
    const range = { from: Date.parse('2026-11-10T09:05:00Z'), to: Date.parse('2026-11-10T09:11:00Z') };
    for (const pageSize of [1, 4, 1000]) {
      const lines = await collect(eventsInRange(store, range, { pageSize }));
      expect(lines.map((l) => l.data.n)).toEqual([100, 5, 6]); // case-y's first event was written before case-x's sixth
    }
    const inCase = await collect(streamEvents(store, 'case-x', { range, pageSize: 2 }));
    expect(inCase.map((l) => l.data.n)).toEqual([5, 6]);
  });
});
