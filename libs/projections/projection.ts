import { RecordedEvent } from '../event-store/event-store';
import { SqlExecutor } from '../event-store/sql/sql-client';
import type { JsonLogger } from '../platform/logging/json-logger';

/**
 * A read model built from events. `apply` writes its rows in the transaction the runner opens,
 * which also stores the checkpoint: a batch is applied entirely, with its checkpoint, or not at all.
 */
export interface Projection {
  /** Stable name: the checkpoint's key and the prefix of its tables. */
  readonly name: string;
  /** The tables' DDL (idempotent). `suffix` lets a rebuild create fresh tables beside the live ones. */
  schema(suffix: string): string;
  /** The tables, for rebuild's switch-over (without suffix). */
  readonly tables: readonly string[];
  apply(tx: SqlExecutor, events: RecordedEvent[], suffix: string): Promise<void>;
  /**
   * After the live runner committed `events` (those this projection had not applied before) with
   * its checkpoint: log lines and counters that must come once per event. A redelivered batch
   * has no new events, so it adds nothing; a rebuild does not call it. A crash between the
   * commit and this call loses them (at most once).
   */
  afterCommit?(events: RecordedEvent[], logger: JsonLogger): void;
}
