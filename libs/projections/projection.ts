import { RecordedEvent } from '../event-store/event-store';
import { SqlExecutor } from '../event-store/sql/sql-client';
import type { JsonLogger } from '../platform/logging/json-logger';
import { parseStoredEvents } from '../events/event-parser';
import type { StoredEvent } from '../events/stored-event';
import type { ProjectionCache } from './projection-cache';

/**
 * A read model built from events. `apply` writes its rows in the transaction the runner opens,
 * which also stores the checkpoint: a batch is applied entirely, with its checkpoint, or not at all.
 * Rebuildable: its tables can be recomputed from the first event (ProjectionRebuilder).
 *
 * `E` is what `apply` receives: the store's events as they are (the runners and rebuilds speak
 * this), or, through `domainProjection`, the domain's typed events.
 */
export interface Projection<E = RecordedEvent> {
  /** Stable name: the checkpoint's key and the prefix of its tables. */
  readonly name: string;
  /** The tables' DDL (idempotent). `suffix` lets a rebuild create fresh tables beside the live ones. */
  schema(suffix: string): string;
  /** The tables, for rebuild's switch-over (without suffix). */
  readonly tables: readonly string[];
  /**
   * `cache`: given by the live runner only (not by rebuilds), rows this projection may keep from
   * one batch to the next instead of reading them again (see ProjectionCache).
   */
  apply(tx: SqlExecutor, events: readonly E[], suffix: string, cache?: ProjectionCache): Promise<void>;
  /**
   * After the live runner committed `events` (those this projection had not applied before) with
   * its checkpoint: log lines and counters that must come once per event. A redelivered batch
   * has no new events, so it adds nothing; a rebuild does not call it. A crash between the
   * commit and this call loses them (at most once). No side effect that must happen belongs
   * here: that is a Reactor's job.
   */
  afterCommit?(events: readonly E[], logger: JsonLogger): void;
}

/** A projection of the domain's events: it receives them parsed (typed and upcast), never casts. */
export function domainProjection(projection: Projection<StoredEvent>): Projection {
  return {
    name: projection.name,
    tables: projection.tables,
    schema: (suffix) => projection.schema(suffix),
    apply: (tx, events, suffix, cache) => projection.apply(tx, parseStoredEvents(events), suffix, cache),
    // Called on the projection (not detached from it): an afterCommit written as a method may use `this`.
    ...(projection.afterCommit
      ? {
          afterCommit: (events: readonly RecordedEvent[], logger: JsonLogger) =>
            projection.afterCommit?.(parseStoredEvents(events), logger),
        }
      : {}),
  };
}
