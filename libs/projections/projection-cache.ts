import { BoundedMap } from '../platform/collections/bounded-map';

/**
 * Rows a projection keeps in memory from one live batch to the next, so that it does not read
 * them again (under load a batch is a few commands, and reading back what the previous batch
 * just wrote was a round trip and an index scan per table per batch).
 *
 * They are the rows as this runner's last batch left them, so they hold only while nobody else
 * wrote since. The runner checks that at each batch's start: the checkpoint it reads there (under
 * the row lock every writer takes) must be the one its last batch stored. Otherwise - that batch
 * failed and rolled back, another process ran the projection meanwhile, the projection was reset
 * - the cache starts empty. A rebuild that ended exactly at that checkpoint wrote the same rows
 * (projections are deterministic), so it does not matter.
 *
 * A projection may change a cached value in place while it applies a batch: if the batch fails,
 * its checkpoint is not stored and the next batch starts from an empty cache.
 */
export class ProjectionCache {
  private readonly rows: BoundedMap<string, unknown>;
  /** The checkpoint the last batch ended at; undefined while a batch runs or after one failed. */
  private endedAt: string | null | undefined = undefined;

  constructor(maxRows = 10_000) {
    this.rows = new BoundedMap(maxRows);
  }

  /** At a batch's start, with the checkpoint stored for this projection (read under its lock). */
  begin(stored: string | null): void {
    if (this.endedAt !== stored) this.rows.clear();
    this.endedAt = undefined;
  }

  /** After the projection applied the batch: the checkpoint its transaction stores. */
  end(checkpoint: string): void {
    this.endedAt = checkpoint;
  }

  get<V>(key: string): V | undefined {
    return this.rows.get(key) as V | undefined;
  }

  /** Keeps a row as the batch writes it; the least recently kept goes when full. */
  set(key: string, value: unknown): void {
    this.rows.set(key, value);
  }
}
