import { Checkpoint } from '../event-store/event-store';
import { SqlExecutor } from '../event-store/sql/sql-client';

export const PROJECTION_CHECKPOINTS_SQL = `
create table if not exists ct_projections (
  name text primary key,
  checkpoint text,
  position text,
  events_applied bigint not null default 0,
  updated_at timestamptz not null default now()
)`;

export interface ProjectionProgress {
  readonly name: string;
  readonly checkpoint: Checkpoint;
  readonly position: string;
  /** Events applied since the previous save. */
  readonly count: number;
}

/**
 * Stores checkpoints in the caller's transaction (the same one as the projections' rows): all of a
 * batch's projections in one statement, one round trip.
 */
export async function saveProjectionCheckpoints(
  tx: SqlExecutor,
  progress: readonly ProjectionProgress[],
): Promise<void> {
  if (progress.length === 0) return;
  await tx.query(
    `insert into ct_projections (name, checkpoint, position, events_applied, updated_at)
     select name, checkpoint, position, count, now()
       from unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) as p(name, checkpoint, position, count)
     on conflict (name) do update set checkpoint = excluded.checkpoint, position = excluded.position,
       events_applied = ct_projections.events_applied + excluded.events_applied, updated_at = now()`,
    [
      progress.map((p) => p.name),
      progress.map((p) => p.checkpoint),
      progress.map((p) => p.position),
      progress.map((p) => p.count),
    ],
  );
}
