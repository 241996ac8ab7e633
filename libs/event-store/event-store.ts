/**
 * The event store port. Every adapter (embedded PGlite, PostgreSQL, EventStoreDB) implements it
 * and passes the same conformance suite (conformance/event-store.conformance.ts).
 */

/** What an append expects of the stream: any state, absent, present, or at exactly this revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** Revisions are zero-based: the first event of a stream has revision 0. */
export const NO_STREAM_REVISION = -1;

export interface EventMetadata {
  /** Who caused the event: a principal name, or `system` for timers. */
  readonly actor: string;
  /** When it happened, ISO-8601 UTC (the domain's `now`, not the database's clock). */
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly [extra: string]: unknown;
}

export interface NewEvent {
  /** A UUID chosen by the writer: re-appending the same ids is a no-op (safe retries). */
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  /** The global position, as a decimal string: unique, and increasing within a stream. */
  readonly position: string;
  /**
   * The place in the all-events order right after this event: resume a read or subscription from
   * here. Opaque outside the store; compare with `compareCheckpoints`.
   */
  readonly checkpoint: Checkpoint;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

export interface AppendResult {
  /** The stream's revision after the append (the last appended event's revision). */
  readonly nextRevision: number;
  /** The global position of the last event written, as a string. */
  readonly position: string;
  /** True when every event id was already stored: the append was a retry and wrote nothing. */
  readonly duplicate: boolean;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive: the first revision to return (forwards) or the highest (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Start after this checkpoint; `null` or absent means from the very first event. */
  readonly after?: Checkpoint | null;
  readonly maxCount?: number;
}

export interface AllEventsPage {
  readonly events: RecordedEvent[];
  /** Where the next read should start (unchanged when `events` is empty). */
  readonly checkpoint: Checkpoint | null;
}

/**
 * A position in the all-events order, as "<major>:<minor>" of two non-negative integers compared
 * lexicographically: (transaction id, global position) for SQL stores, (commit, prepare) for
 * EventStoreDB.
 */
export type Checkpoint = string;

/** The first place an integrity check found a stream's hash chain broken. */
export interface IntegrityBreak {
  readonly streamId: string;
  /** The revision where the chain breaks (the event's, or the missing one's). */
  readonly revision: number;
  /** The event found broken; null when the break is an event that is missing altogether. */
  readonly eventId: string | null;
  /** Its global position; null when the event is missing. */
  readonly position: string | null;
  readonly reason: string;
}

export interface IntegrityReport {
  /** Events whose hash was recomputed. */
  readonly checked: number;
  /** Streams seen. */
  readonly streams: number;
  /** The broken event with the lowest global position, or null when every chain is intact. */
  readonly broken: IntegrityBreak | null;
}

export interface EventStore {
  /** Which adapter this is, for health and logs. */
  readonly kind: 'embedded' | 'postgres' | 'eventstoredb';
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** The stream's events; [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of every stream after a checkpoint, in an order consistent with each stream's revisions. */
  readAll(options?: ReadAllOptions): Promise<AllEventsPage>;
  /**
   * The checkpoint just after the event at this global position, or null if there is no such
   * event (used by `consistentWith` reads: "has the projection reached it?").
   */
  checkpointOfPosition(position: string): Promise<Checkpoint | null>;
  /**
   * The checkpoint of the last event stored now, whether or not readers can see it yet (on
   * PostgreSQL an older open transaction delays them): lets a reader wait until it has it all.
   */
  headCheckpoint?(): Promise<Checkpoint | null>;
  /**
   * Calls `listener` soon after new events may be readable: appends of this store instance, and
   * where the adapter can, of other threads and processes (PostgreSQL LISTEN/NOTIFY, the embedded
   * store's thread ports). A hint: subscribers still poll, as a fallback.
   */
  onAppended(listener: () => void): () => void;
  /**
   * True while appends made elsewhere (other processes or threads) reach `onAppended` listeners:
   * subscribers then need only a slow fallback poll. Absent or false: they poll at their usual rate.
   */
  wakesAcrossProcesses?(): boolean;
  /**
   * Recomputes every stream's hash chain (stores that keep one; the others leave this undefined).
   * Streams through the events in pages: memory stays constant whatever the store's size.
   * `onProgress` receives the number of events checked so far after each page.
   */
  verifyIntegrity?(onProgress?: (checked: number) => void): Promise<IntegrityReport>;
  /** Throws a descriptive error when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
