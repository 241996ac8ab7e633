import { RecordedEvent } from '../event-store/event-store';
import { SqlExecutor } from '../event-store/sql/sql-client';

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
}
