/**
 * Suite 2: appends and reads on the same PostgreSQL, through three doors, each in a child process
 * of its own (Emmett's driver replaces pg's global type parsers) and a fresh schema or database
 * per size:
 *   - ours:   SqlEventStore (libs/event-store/sql): ct_append, one round trip per append.
 *   - Emmett: getPostgreSQLEventStore from @event-driven-io/emmett-postgresql (its own database).
 *   - raw:    one plain parameterised INSERT per append into a bare table (no checks, no
 *             constraint but the primary key): the practical limit of this machine.
 * Same ~150-byte events, same pg pool size (34) for all three. Per size: prefill (N/100 streams of
 * 100 events, batch appends), read all N events by global position in pages of 1,000, read one
 * 100-event stream repeatedly, then appends by 1 / 10 / 32 concurrent writers in batches of 1 and
 * 100, each with its expected revision (writers own their streams, so no conflicts).
 */
import { randomUUID } from 'node:crypto';
import { uuidv7 } from '../../libs/platform/ids/uuid-v7';
import { Pool } from 'pg';
import { createPostgresEventStore } from '../../libs/event-store/sql/create-sql-event-store';
import { SqlEventStore } from '../../libs/event-store/sql/sql-event-store';
import { NewEvent } from '../../libs/event-store/event-store';
import { log, Metric } from '../support/metrics';
import { benchDatabaseUrl, createDatabase, createSchema, dropDatabase, dropSchema, withDatabase } from '../support/pg';
import { Samples, sizeLabel } from '../support/stats';
import { reportPartial, schemaName, SuiteTask } from '../support/suite';
import { profileWindow } from '../support/diagnostics';
import { describeCpu, measureCpu } from '../support/cpu';
import { BASELINE_CT_APPEND_SQL, BASELINE_EVENT_COLUMNS } from '../support/baseline-event-store';
import { makeCheckpoint, parseCheckpoint } from '../../libs/event-store/checkpoint';

const SUITE = '2. Event store: ours vs Emmett vs raw INSERT (same PostgreSQL)';
const POOL = 34;
const PAGE = 1000;

type StoreName = 'ours' | 'emmett' | 'raw' | 'ours-before';

interface BenchEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: { actor: string; occurredAt: string; correlationId: string; causationId: null };
}

/** One store behind the few operations the suite needs. */
interface Door {
  append(stream: string, events: BenchEvent[], eventsInStream: number): Promise<void>;
  /** Reads every event by global position in pages; stops after `capMs`. Returns what it read. */
  readAll(capMs: number): Promise<{ events: number; ms: number; capped: boolean }>;
  readStream(stream: string): Promise<number>;
  close(): Promise<void>;
}

/** ~150 bytes of JSON (type + data + metadata), as the issue asks. */
function benchEvent(i: number): BenchEvent {
  return {
    type: 'UpdateSent',
    data: { n: i, channel: 'email', note: 'short update' },
    metadata: { actor: 'bench', occurredAt: '2026-11-23T10:00:00.000Z', correlationId: 'c0ffee00', causationId: null },
  };
}

export async function eventStoreSuite(task: SuiteTask): Promise<Metric[]> {
  const store = task.params.store as StoreName;
  const sample = benchEvent(0);
  log(`event-store ${store}`, `event size ${JSON.stringify(sample).length} bytes of JSON (type, data, metadata)`);
  const metrics: Metric[] = [];
  for (const size of task.sizes) {
    const door = await open(task, store, size);
    try {
      const measured = await measure(task, store, door, size);
      metrics.push(...measured);
      reportPartial(measured);
    } finally {
      await door.close();
    }
  }
  return metrics;
}

async function measure(task: SuiteTask, store: StoreName, door: Door, size: number): Promise<Metric[]> {
  const scope = `event-store ${store} ${sizeLabel(size)}`;
  const at = sizeLabel(size);
  const metrics: Metric[] = [];
  const metric: MetricFn = (key, label, unit, value, note) => {
    const goal = store === 'ours' ? OUR_GOALS[key] : undefined;
    metrics.push({
      suite: SUITE,
      key: `${key}|${store}`,
      label: `${label}: ${store === 'emmett' ? 'Emmett' : store === 'ours-before' ? 'ours before the fixes' : store}`,
      unit,
      size: at,
      value,
      ...(note ? { note } : {}),
      ...(goal ? { goal } : {}),
    });
  };

  // Prefill: size/100 streams of 100 events, 8 batch appends in flight.
  const streams = Math.max(1, Math.ceil(size / 100));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (;;) {
        const s = next++;
        if (s >= streams) return;
        await door.append(
          `pre-${s}`,
          Array.from({ length: 100 }, (_, i) => benchEvent(i)),
          0,
        );
      }
    }),
  );
  const prefillSeconds = (performance.now() - started) / 1000;
  log(
    scope,
    `prefilled ${(streams * 100).toLocaleString('en-US')} events in ${prefillSeconds.toFixed(1)} s (${Math.round((streams * 100) / prefillSeconds)} events/s, batches of 100, 8 writers)`,
  );

  // Read all, by global position.
  const capMs = task.quick ? 5000 : 30000;
  const read = await profileWindow(`readall-${store}-${at}`, () => door.readAll(capMs));
  const readRate = read.events / (read.ms / 1000);
  log(
    scope,
    `read all: ${read.events.toLocaleString('en-US')} events in ${(read.ms / 1000).toFixed(2)} s = ${Math.round(readRate)} events/s${read.capped ? ' (stopped at the time cap)' : ''}`,
  );
  if (!read.capped && read.events !== streams * 100)
    log(scope, `WARNING: read ${read.events} events, ${streams * 100} stored`);
  metric(
    'es.readall.missed',
    'Read all: events not returned (stored − read; written by 8 concurrent writers)',
    '',
    read.capped ? null : streams * 100 - read.events,
    read.capped
      ? undefined
      : 'Read all "not returned": Emmett pages by global_position while ordering by transaction id, so rows of a transaction that got an earlier position than the previous page\'s last row are passed over; ours pages by (transaction id, position).',
  );
  metric(
    'es.readall',
    'Read all events by global position, pages of 1,000: events/s',
    '/s',
    readRate,
    read.capped
      ? `${store} read all at ${at}: stopped after ${capMs / 1000} s having read ${read.events.toLocaleString('en-US')} of ${(streams * 100).toLocaleString('en-US')} events (each of its pages costs the same: the rate holds for the whole read)`
      : undefined,
  );

  // Read one 100-event stream, again and again (one reader). The bare table has no stream index.
  if (store !== 'raw') await readOneStream(task, door, streams, metric);

  // Appends: writers x batch, each append with its expected revision.
  const durationMs = task.quick ? 700 : 4000;
  for (const batch of [1, 100]) {
    for (const writers of [1, 10, 32]) {
      const result = await profileWindow(`append-${store}-${at}-w${writers}-b${batch}`, () =>
        appends(door, writers, batch, durationMs, `w${writers}b${batch}`),
      );
      log(
        scope,
        `appends, ${writers} writers x batch ${batch}: ${Math.round(result.eventsPerSecond)} events/s (${Math.round(result.appendsPerSecond)} appends/s), p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms; ${describeCpu(result.cpu)}`,
      );
      const key = `es.append.w${writers}.b${batch}`;
      metric(
        key,
        `Append, ${writers} writer${writers > 1 ? 's' : ''} × batch ${batch}: events/s`,
        '/s',
        result.eventsPerSecond,
      );
      if (writers === 32) {
        metric(`${key}.p99`, `Append, 32 writers × batch ${batch}: p99 latency`, 'ms', result.latency.p99);
        const perEvent = (cores: number | null) => (cores === null ? null : (cores * 1e6) / result.eventsPerSecond);
        metric(
          `${key}.cpu.pg`,
          `Append, 32 writers × batch ${batch}: PostgreSQL CPU per event`,
          'µs',
          perEvent(result.cpu.postgres),
        );
        metric(
          `${key}.cpu.node`,
          `Append, 32 writers × batch ${batch}: client (Node) CPU per event`,
          'µs',
          perEvent(result.cpu.self),
        );
      }
    }
  }
  return metrics;
}

/** Goals on our own figures (the ratio goals are in main.ts). */
const OUR_GOALS: Record<string, Metric['goal']> = {
  'es.readall': { op: '>=', target: 100_000, text: '≥ 100,000/s' },
  'es.readall.missed': { op: '<=', target: 0, text: 'none (no skipped event)' },
};

type MetricFn = (key: string, label: string, unit: string, value: number | null, note?: string) => void;

async function readOneStream(task: SuiteTask, door: Door, streams: number, metric: MetricFn): Promise<void> {
  const streamReads = new Samples();
  const streamUntil = performance.now() + (task.quick ? 500 : 2000);
  let readEvents = 0;
  while (performance.now() < streamUntil) {
    const t = performance.now();
    readEvents += await door.readStream(`pre-${streamReads.length % streams}`);
    streamReads.add(performance.now() - t);
  }
  const summary = streamReads.summary();
  const seconds = streamReads.values().reduce((a, b) => a + b, 0) / 1000;
  metric('es.readstream', 'Read one 100-event stream (1 reader): events/s', '/s', readEvents / seconds);
  metric('es.readstream.p50', 'Read one 100-event stream: p50 latency', 'ms', summary.p50);
}

async function appends(door: Door, writers: number, batch: number, durationMs: number, tag: string) {
  const cpu = measureCpu();
  const latencies = new Samples();
  let events = 0;
  const until = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      // Each writer owns 10 streams and knows how many events each holds: its expected revision.
      const counts = new Array<number>(10).fill(0);
      for (let i = 0; performance.now() < until; i++) {
        const s = i % counts.length;
        const t = performance.now();
        await door.append(
          `${tag}-w${w}-s${s}`,
          Array.from({ length: batch }, (_, k) => benchEvent(k)),
          counts[s],
        );
        latencies.add(performance.now() - t);
        counts[s] += batch;
        events += batch;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const split = cpu.stop();
  return {
    eventsPerSecond: events / seconds,
    appendsPerSecond: latencies.length / seconds,
    latency: latencies.summary(),
    cpu: split,
  };
}

async function open(task: SuiteTask, store: StoreName, size: number): Promise<Door> {
  const name = schemaName(task, 'es', store.replace('-', '_'), sizeLabel(size));
  if (store === 'ours') return openOurs(name);
  if (store === 'ours-before') return openOursBefore(name);
  if (store === 'emmett') return openEmmett(name);
  return openRaw(name);
}

async function openOurs(schema: string): Promise<Door & { store: SqlEventStore }> {
  await createSchema(schema);
  // EVENT_NOTIFICATIONS=off: appends send no NOTIFY (to measure what the wake-ups cost appends).
  const store: SqlEventStore = await createPostgresEventStore(benchDatabaseUrl(), {
    schema,
    poolSize: POOL,
    notifications: process.env.EVENT_NOTIFICATIONS !== 'off',
  });
  return {
    store,
    async append(stream, events, inStream) {
      // Event ids as the service makes them (commandEventId): time-ordered.
      const batch: NewEvent[] = events.map((e) => ({ id: uuidv7(), type: e.type, data: e.data, metadata: e.metadata }));
      await store.append(stream, batch, inStream === 0 ? 'no_stream' : inStream - 1);
    },
    async readAll(capMs) {
      const started = performance.now();
      let after: string | null = null;
      let events = 0;
      for (;;) {
        const page = await store.readAll({ after, maxCount: PAGE });
        if (page.events.length === 0) return { events, ms: performance.now() - started, capped: false };
        events += page.events.length;
        after = page.checkpoint;
        if (performance.now() - started > capMs) return { events, ms: performance.now() - started, capped: true };
      }
    },
    async readStream(stream) {
      return (await store.readStream(stream)).length;
    },
    async close() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

/** The store as it was before this benchmark's fixes (bench/support/baseline-event-store.ts). */
async function openOursBefore(schema: string): Promise<Door> {
  const door = await openOurs(schema);
  const store = door.store;
  await store.sql.exec(BASELINE_CT_APPEND_SQL);
  const toRecorded = (r: Record<string, any>) => ({
    id: r.event_id,
    streamId: r.stream_id,
    revision: Number(r.revision_text),
    position: r.position_text,
    checkpoint: makeCheckpoint(r.tx, r.position_text),
    type: r.type,
    data: r.data,
    metadata: r.metadata,
  });
  return {
    ...door,
    async readAll(capMs) {
      const started = performance.now();
      let after: string | null = null;
      let events = 0;
      for (;;) {
        const [tx, position]: [bigint, bigint] = after ? parseCheckpoint(after) : [0n, 0n];
        const rows: Array<Record<string, any>> = await store.sql.query(
          `select ${BASELINE_EVENT_COLUMNS} from ct_events e
            where (e.tx_id, e.global_position) > ($1::text::xid8, $2::bigint) and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
            order by e.tx_id, e.global_position limit $3`,
          [tx.toString(), position.toString(), PAGE],
        );
        const page: Array<{ checkpoint: string }> = rows.map(toRecorded);
        if (page.length === 0) return { events, ms: performance.now() - started, capped: false };
        events += page.length;
        after = page[page.length - 1].checkpoint;
        if (performance.now() - started > capMs) return { events, ms: performance.now() - started, capped: true };
      }
    },
    async readStream(stream) {
      const rows = await store.sql.query(
        `select ${BASELINE_EVENT_COLUMNS} from ct_events e where e.stream_id = $1 and e.revision >= $2 order by e.revision asc limit $3`,
        [stream, 0, null],
      );
      return rows.map(toRecorded).length;
    },
  };
}

async function openEmmett(database: string): Promise<Door> {
  await createDatabase(database);
  const url = withDatabase(benchDatabaseUrl(), database);
  // Loaded here only: its driver (dumbo) changes pg's global type parsers for the whole process.
  const { getPostgreSQLEventStore, readMessagesBatch } = await import('@event-driven-io/emmett-postgresql');
  const { dumbo, endAllPools } = await import('@event-driven-io/dumbo');
  const pool = new Pool({ connectionString: url, max: POOL });
  const eventStore = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  await eventStore.schema.migrate();
  const reader = dumbo({ connectionString: url, pool });
  return {
    async append(stream, events, inStream) {
      await eventStore.appendToStream(stream, events as never[], { expectedStreamVersion: BigInt(inStream) });
    },
    async readAll(capMs) {
      const started = performance.now();
      let after = 0n;
      let events = 0;
      for (;;) {
        const page = await readMessagesBatch(reader.execute, { after, batchSize: PAGE });
        events += page.messages.length;
        after = page.currentGlobalPosition;
        if (!page.areMessagesLeft || page.messages.length === 0)
          return { events, ms: performance.now() - started, capped: false };
        if (performance.now() - started > capMs) return { events, ms: performance.now() - started, capped: true };
      }
    },
    async readStream(stream) {
      return (await eventStore.readStream(stream)).events.length;
    },
    async close() {
      await eventStore.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
      // Emmett's driver keeps pools of its own (cached by dumbo): close them too. Never force the
      // drop from here: killing a connection this process still holds ends it (an idle pool
      // client's 'error'); a database still in use is dropped by main.ts after this process.
      await endAllPools().catch(() => undefined);
      await dropDatabase(database, { force: false }).catch((error: Error) =>
        log('event-store emmett', `database ${database} left for the end-of-run cleanup (${error.message})`),
      );
    },
  };
}

async function openRaw(schema: string): Promise<Door> {
  await createSchema(schema);
  const pool = new Pool({ connectionString: benchDatabaseUrl(), max: POOL, options: `-c search_path=${schema}` });
  await pool.query(`create table raw_events (
    global_position bigserial primary key, stream_id text not null, revision bigint not null,
    event_id uuid not null, type text not null, data jsonb not null, metadata jsonb not null)`);
  return {
    async append(stream, events, inStream) {
      if (events.length === 1) {
        const e = events[0];
        await pool.query(
          'insert into raw_events (stream_id, revision, event_id, type, data, metadata) values ($1, $2, $3, $4, $5, $6)',
          [stream, inStream, randomUUID(), e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)],
        );
        return;
      }
      await pool.query(
        `insert into raw_events (stream_id, revision, event_id, type, data, metadata)
         select $1, $2::bigint + r - 1, i, t, d, m from unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) with ordinality as x(i, t, d, m, r)`,
        [
          stream,
          inStream,
          events.map(() => randomUUID()),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata)),
        ],
      );
    },
    async readAll(capMs) {
      // The same paging by position, without any visibility rule: what a plain table gives.
      const started = performance.now();
      let after = '0';
      let events = 0;
      for (;;) {
        const { rows } = await pool.query(
          'select global_position::text as position, stream_id, revision, event_id, type, data, metadata from raw_events where global_position > $1 order by global_position limit $2',
          [after, PAGE],
        );
        if (rows.length === 0) return { events, ms: performance.now() - started, capped: false };
        events += rows.length;
        after = rows[rows.length - 1].position;
        if (performance.now() - started > capMs) return { events, ms: performance.now() - started, capped: true };
      }
    },
    async readStream() {
      return NaN; // a bare table has no stream index: not a meaningful peer for this read
    },
    async close() {
      await pool.end();
      await dropSchema(schema);
    },
  };
}
