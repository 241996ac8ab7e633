import {
  ANY,
  AppendStreamState,
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  Position,
  ReadRevision,
  ResolvedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
} from '@kurrent/kurrentdb-client';
import {
  AllEventsPage,
  AppendResult,
  Checkpoint,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import { makeCheckpoint, parseCheckpoint } from '../checkpoint';
import { AppendNotifier } from '../append-notifier';

/** How to start the server named in "unreachable" messages. */
const START_HINT = 'start it with: docker compose -f docker/compose.yaml up -d eventstoredb';

/** The server's "no position" marker (ulong max) that older servers return for stream reads. */
const NO_POSITION = 18446744073709551615n;

const DEFAULT_PAGE_SIZE = 1000;
const PING_TIMEOUT_MS = 5000;

/**
 * The event store on EventStoreDB / KurrentDB, through `@kurrent/kurrentdb-client`.
 *
 * Positions. Every event written by a (gRPC) append is its own log record, committed implicitly,
 * so in `$all` its commit and prepare positions are both the record's log position: unique, and
 * increasing in log order, which is also each stream's revision order. `position` is that commit
 * position as a decimal string; the checkpoint is "<commit>:<prepare>", which orders exactly as
 * `$all` does (legacy explicit transactions share a commit and differ by prepare).
 *
 * Appends answer with the position of the *last* event written (the server acknowledges a write at
 * the log position of the prepare that ends it), so `AppendResult.position` names the same event as
 * `readStream(...)[nextRevision].position`.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private readonly notifier = new AppendNotifier();

  constructor(
    private readonly client: KurrentDBClient,
    /** The connection string without its password, for messages. */
    private readonly describe: string,
  ) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');

    // A retry of an append that was stored already (same ids where this append would put them).
    // EventStoreDB would accept the retry as an idempotent no-op too, but its answer does not say
    // so; reading first is how we report `duplicate: true` with the first answer's position. If the
    // first attempt lands between this read and the append below, the server still de-duplicates
    // and we answer `duplicate: false`: the revision is right, nothing is written twice.
    const stored = await this.storedRetry(streamId, events, expected);
    if (stored) return stored;

    let result;
    try {
      result = await this.client.appendToStream(
        streamId,
        events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
        { streamState: toStreamState(expected) },
      );
    } catch (error) {
      if (isWrongExpectedVersion(error)) {
        const actual = error.actualState;
        throw new WrongExpectedRevisionError(streamId, expected, actual === NO_STREAM ? -1 : Number(actual));
      }
      throw this.translate(error);
    }
    if (!result.success) {
      // Only when the connection string sets throwOnAppendFailure=false. The client's batch-append
      // path then reports nextExpectedRevision wrongly (1 or -1), so the actual revision is unknown.
      throw new WrongExpectedRevisionError(streamId, expected, null);
    }
    const nextRevision = Number(result.nextExpectedRevision);
    let position = result.position?.commit;
    if (position === undefined) {
      // Servers always send it for a successful append; if one did not, ask the stream.
      const [last] = await this.readStream(streamId, {
        direction: 'backwards',
        fromRevision: nextRevision,
        maxCount: 1,
      });
      position = last ? BigInt(last.position) : 0n;
    }
    this.notifier.notify();
    return { nextRevision, position: position.toString(), duplicate: false };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount <= 0) return [];
    let fromRevision: ReadRevision;
    if (options.fromRevision === undefined) fromRevision = backwards ? END : START;
    else if (options.fromRevision < 0) {
      if (backwards) return [];
      fromRevision = START;
    } else fromRevision = BigInt(options.fromRevision);

    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision,
        maxCount,
      })) {
        const recorded = toRecorded(resolved);
        if (recorded) events.push(recorded);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw this.translate(error);
    }
    return events;
  }

  /**
   * Forwards through `$all`, skipping system events (`$`-prefixed type or stream) client-side, so
   * the returned checkpoint moves past them too. While system events leave the page short it
   * reads on, so a short page means "nothing more to read now", and an empty one may still carry a
   * checkpoint moved past trailing system events (safe: nobody is meant to see them).
   */
  async readAll(options: ReadAllOptions = {}): Promise<AllEventsPage> {
    const maxCount = options.maxCount ?? DEFAULT_PAGE_SIZE;
    let checkpoint: Checkpoint | null = options.after ?? null;
    const events: RecordedEvent[] = [];
    if (maxCount <= 0) return { events, checkpoint };

    for (;;) {
      const after = checkpoint === null ? null : parseCheckpoint(checkpoint);
      // A read from a position includes the event at that position: ask for one more and drop it.
      const want = maxCount - events.length + (after ? 1 : 0);
      let scanned = 0;
      const before = checkpoint;
      try {
        for await (const resolved of this.client.readAll({
          direction: FORWARDS,
          fromPosition: after ? { commit: after[0], prepare: after[1] } : START,
          maxCount: want,
        })) {
          scanned++;
          // Full (possible only if the server did not start with the `after` event): stop here, so
          // the checkpoint stays on the last event returned.
          if (events.length >= maxCount) break;
          const position = resolved.event?.position;
          if (!position) continue;
          if (after && !isAfter(position, after)) continue;
          checkpoint = makeCheckpoint(position.commit, position.prepare);
          if (isSystem(resolved)) continue;
          const recorded = toRecorded(resolved);
          if (recorded) events.push(recorded);
        }
      } catch (error) {
        throw this.translate(error);
      }
      // Done when the page is full, we reached the end of $all, or (defensively) made no progress.
      if (events.length >= maxCount || scanned < want || checkpoint === before) break;
    }
    return { events, checkpoint };
  }

  async checkpointOfPosition(position: string): Promise<Checkpoint | null> {
    if (!/^\d+$/.test(position)) return null;
    const commit = BigInt(position);
    try {
      // Our events have prepare = commit (see the class comment), so this is the event itself if
      // there is one at that position; anything else found there means "no such event".
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition: { commit, prepare: commit },
        maxCount: 1,
      })) {
        const found = resolved.event?.position;
        return found && found.commit === commit ? makeCheckpoint(found.commit, found.prepare) : null;
      }
      return null;
    } catch (error) {
      const translated = this.translate(error);
      if (translated instanceof EventStoreUnavailableError) throw translated;
      // A position that is not a record boundary (or beyond the log) is refused by the server.
      return null;
    }
  }

  /**
   * In-process hint after this process's own appends. Other processes' appends are found by the
   * subscribers' polling (CatchUpSubscription polls `readAll`), so a missed hint only delays.
   */
  onAppended(listener: () => void): () => void {
    return this.notifier.subscribe(listener);
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const read = (async () => {
        for await (const _ of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
          // one event or none: either way the server answered
        }
      })();
      read.catch(() => undefined); // when the timeout wins, a late failure must not go unhandled
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      });
      await Promise.race([read, timeout]);
    } catch (error) {
      throw new EventStoreUnavailableError(
        `EventStoreDB at ${this.describe} is unreachable (${describeError(error)}); ${START_HINT}`,
        error,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** If `expected` pins where these events go and they are stored there already: the first answer. */
  private async storedRetry(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | null> {
    let stored: RecordedEvent[];
    if (expected === 'no_stream' || typeof expected === 'number') {
      const from = expected === 'no_stream' ? 0 : expected + 1;
      stored = await this.readStream(streamId, { fromRevision: from, maxCount: events.length });
    } else {
      // 'any' / 'stream_exists': a retry that nothing has followed yet ends the stream.
      stored = (await this.readStream(streamId, { direction: 'backwards', maxCount: events.length })).reverse();
    }
    if (stored.length !== events.length) return null;
    if (!stored.every((e, i) => e.id.toLowerCase() === events[i].id.toLowerCase())) return null;
    const last = stored[stored.length - 1];
    return { nextRevision: last.revision, position: last.position, duplicate: true };
  }

  /** Connection failures become EventStoreUnavailableError (naming the server); others pass through. */
  private translate(error: unknown): Error {
    if (error instanceof EventStoreUnavailableError) return error;
    const e = error as { type?: string; code?: number; message?: string };
    const unavailable =
      e?.type === ErrorType.UNAVAILABLE ||
      e?.type === ErrorType.DEADLINE_EXCEEDED ||
      e?.code === 14 /* gRPC UNAVAILABLE */ ||
      e?.code === 4; /* gRPC DEADLINE_EXCEEDED */
    if (unavailable) {
      return new EventStoreUnavailableError(
        `EventStoreDB at ${this.describe} is unreachable (${describeError(error)}); ${START_HINT}`,
        error,
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Connects lazily: the client dials on the first call, so call `ping()` to check the server.
 * `esdb://` strings (the documented form) are passed on as the equivalent `kurrentdb://`, which
 * spares the client's deprecation warning on every start.
 */
export async function createEventStoreDbEventStore(connectionString: string): Promise<EventStoreDbEventStore> {
  const normalized = connectionString.trim().replace(/^esdb(\+discover)?:\/\//i, 'kurrentdb$1://');
  let client: KurrentDBClient;
  try {
    client = KurrentDBClient.connectionString(normalized);
  } catch (error) {
    // No `cause`: the client's error may quote the connection string, password and all; only its description is kept.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(
      `EVENTSTORE_CONNECTION_STRING "${redactConnectionString(connectionString)}" is invalid: ${describeError(error)}`,
    );
  }
  return new EventStoreDbEventStore(client, redactConnectionString(connectionString));
}

/** The connection string without its password ("esdb://admin:***@host:2113?tls=false"). */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/^([a-z+]+:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) throw new Error(`invalid expected revision ${expected}`);
      return BigInt(expected);
  }
}

/** Events of `$`-prefixed streams ($settings, $users, metadata streams `$$x`) or types ($>, $metadata). */
function isSystem(resolved: ResolvedEvent): boolean {
  const event = resolved.event;
  return !event || event.type.startsWith('$') || event.streamId.startsWith('$');
}

function isAfter(position: Position, after: [bigint, bigint]): boolean {
  return position.commit > after[0] || (position.commit === after[0] && position.prepare > after[1]);
}

function toRecorded(resolved: ResolvedEvent): RecordedEvent | null {
  const event = resolved.event;
  if (!event) return null;
  let position = event.position;
  if (!position || position.commit === NO_POSITION) {
    // Servers before 22.6 do not say where a stream read's events are in the log.
    const commit =
      resolved.commitPosition !== undefined && resolved.commitPosition !== NO_POSITION ? resolved.commitPosition : 0n;
    position = { commit, prepare: commit };
  }
  return {
    id: event.id,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: position.commit.toString(),
    checkpoint: makeCheckpoint(position.commit, position.prepare),
    type: event.type,
    data: asObject(event.data) ?? {},
    metadata: (asObject(event.metadata) ?? {}) as EventMetadata,
  };
}

/** JSON bodies arrive parsed; binary or malformed ones as bytes or a string: parse when we can. */
function asObject(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Uint8Array) return asObject(parseJson(Buffer.from(value).toString('utf8')));
  if (typeof value === 'string') return asObject(parseJson(value));
  return typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return (
    error instanceof WrongExpectedVersionError ||
    (error as { type?: string } | null)?.type === ErrorType.WRONG_EXPECTED_VERSION
  );
}

function isStreamNotFound(error: unknown): boolean {
  return (
    error instanceof StreamNotFoundError || (error as { type?: string } | null)?.type === ErrorType.STREAM_NOT_FOUND
  );
}

function describeError(error: unknown): string {
  const e = error as { message?: string; type?: string; _raw?: { message?: string } } | null;
  const message = e?._raw?.message && e._raw.message !== e.message ? `${e.message}: ${e._raw.message}` : e?.message;
  // The client's bridge errors carry only their class name ("UnavailableError"): say "unavailable".
  const bare = !message || message === (error as object | null)?.constructor?.name;
  return ((bare ? e?.type : message) || String(error)).split('\n')[0];
}
