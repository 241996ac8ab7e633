import { EventStore } from '../../event-store/event-store';
import { SqlClient } from '../../event-store/sql/sql-client';

export interface ProjectionLag {
  readonly name: string;
  /** Age of the oldest stored event the projection has not processed; 0 when it has them all. */
  readonly lagSeconds: number;
}

/**
 * How far behind the store each named projection is, from its stored checkpoint (ct_projections:
 * any process can answer, whichever one runs the projection). SQL stores: the store's own
 * recorded_at of the first event after the checkpoint, against the database's clock (one clock,
 * no skew). EventStoreDB: that event read through the port, its metadata.occurredAt against this
 * process's clock.
 */
export async function readProjectionLag(
  sql: SqlClient,
  store: EventStore,
  names: readonly string[],
): Promise<ProjectionLag[]> {
  if (store.kind !== 'eventstoredb') {
    const rows = await sql.query<{ name: string; lag_seconds: number | string | null }>(
      `select n.name,
              greatest(extract(epoch from now() - (
                select e.recorded_at from ct_events e
                 where p.checkpoint is null
                    or (e.tx_id, e.global_position) > (split_part(p.checkpoint, ':', 1)::xid8, split_part(p.checkpoint, ':', 2)::bigint)
                 order by e.tx_id, e.global_position limit 1)), 0)::float8 as lag_seconds
         from unnest($1::text[]) with ordinality as n(name, i)
         left join ct_projections p on p.name = n.name
        order by n.i`,
      [[...names]],
    );
    return rows.map((r) => ({ name: r.name, lagSeconds: round(Number(r.lag_seconds ?? 0)) }));
  }
  const stored = await sql.query<{ name: string; checkpoint: string | null }>(
    'select name, checkpoint from ct_projections where name = any($1)',
    [[...names]],
  );
  const checkpoints = new Map(stored.map((r) => [r.name, r.checkpoint]));
  return Promise.all(
    names.map(async (name) => {
      const { events } = await store.readAll({ after: checkpoints.get(name) ?? null, maxCount: 1 });
      const occurredAt = events[0] ? Date.parse(events[0].metadata.occurredAt) : NaN;
      return {
        name,
        lagSeconds: Number.isFinite(occurredAt) ? round(Math.max(0, (Date.now() - occurredAt) / 1000)) : 0,
      };
    }),
  );
}

const round = (seconds: number) => Math.round(seconds * 10) / 10;
