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

/** Stores the checkpoint in the caller's transaction (the same one as the projection's rows). */
export async function saveProjectionCheckpoint(
  tx: SqlExecutor,
  name: string,
  checkpoint: Checkpoint,
  position: string,
  count: number,
): Promise<void> {
  await tx.query(
    `insert into ct_projections (name, checkpoint, position, events_applied, updated_at) values ($1, $2, $3, $4, now())
     on conflict (name) do update set checkpoint = excluded.checkpoint, position = excluded.position,
       events_applied = ct_projections.events_applied + excluded.events_applied, updated_at = now()`,
    [name, checkpoint, position, count],
  );
}
