/**
 * The SQL event store's schema, shared by PostgreSQL and PGlite. Idempotent: run at every start.
 *
 * Reading "all events" without skipping late committers (the sequence-gap problem): a bigserial
 * position is taken when a row is inserted, not when its transaction commits, so a reader that
 * follows positions alone can pass a gap that a slower transaction fills later. We use
 * TRANSACTION-ID VISIBILITY: every event row records the id of the transaction that wrote it
 * (`tx_id`, xid8), readers order by (tx_id, global_position), and only read rows whose tx_id is
 * below the oldest transaction still running (`pg_snapshot_xmin(pg_current_snapshot())`). Every
 * transaction below that horizon has finished, and any transaction that starts later gets a
 * larger id, so nothing can appear behind a reader's checkpoint. The checkpoint is the pair
 * (tx_id, global_position).
 *
 * Appends are one round trip: `ct_append` takes a per-stream advisory lock (serialising writers
 * of one stream only, and before the transaction gets its id: see the function), checks the
 * expected revision, recognises a retried append by its event ids, and inserts the batch with each
 * event's hash chained to the previous one of its stream. Appends that arrive while others are in
 * flight go together through `ct_append_batch` (group commit: one statement, one commit).
 */
export const EVENT_STORE_SCHEMA_SQL = `
create table if not exists ct_streams (
  stream_id text primary key,
  revision bigint not null,
  last_hash text not null default ''
);

create table if not exists ct_events (
  global_position bigserial primary key,
  tx_id xid8 not null default pg_current_xact_id(),
  stream_id text not null,
  revision bigint not null,
  event_id uuid not null,
  type text not null,
  data jsonb not null,
  metadata jsonb not null,
  hash text not null,
  recorded_at timestamptz not null default now(),
  constraint ct_events_stream_revision unique (stream_id, revision),
  constraint ct_events_event_id unique (event_id)
);

create index if not exists ct_events_tx_position on ct_events (tx_id, global_position);

create or replace function ct_event_hash(prev text, id uuid, stream text, rev bigint, t text, d jsonb, m jsonb)
returns text language sql immutable as $fn$
  select encode(sha256(convert_to(prev || '|' || id::text || '|' || stream || '|' || rev::text || '|' || t
    || '|' || d::text || '|' || m::text, 'UTF8')), 'hex')
$fn$;

-- The append itself, for a stream whose lock the caller holds. It answers a status instead of
-- raising, so that a batch (ct_append_batch) carries on past one append's conflict.
-- Kept cheap on purpose (bench/, BENCHMARKS.md): no query to parse the batch (its first id is
-- read directly, the others only on a retry), the hash computed inline (the very expression of
-- ct_event_hash, which verification uses: the stored hashes are the same), one statement per
-- table, and a single-event append inserts its row without a set-returning function.
create or replace function ct_append_locked(p_stream text, p_expected text, p_events jsonb,
  out status text, out next_revision bigint, out last_position bigint, out duplicate boolean, out detail text)
language plpgsql as $fn$
declare
  v_current bigint;
  v_hash text;
  v_count int := jsonb_array_length(p_events);
  v_first uuid := (p_events->0->>'id')::uuid;
  v_hashes text[] := '{}';
  v_existing_stream text;
  v_event jsonb;
  v_rev bigint;
begin
  select s.revision, s.last_hash into v_current, v_hash from ct_streams s where s.stream_id = p_stream;
  if not found then
    v_current := -1;
    v_hash := '';
  end if;

  -- A retried append (its first event id is stored already) is a no-op returning the first answer.
  select e.stream_id into v_existing_stream from ct_events e where e.event_id = v_first;
  if found then
    if v_existing_stream <> p_stream then
      status := 'duplicate_id';
      detail := v_existing_stream;
      return;
    end if;
    select max(e.revision), max(e.global_position) into next_revision, last_position
      from ct_events e where e.event_id in (select (x.e->>'id')::uuid from jsonb_array_elements(p_events) as x(e));
    status := 'ok';
    duplicate := true;
    return;
  end if;

  -- (IF/ELSIF, not one OR: SQL does not promise to skip the cast of 'any' to bigint.)
  if p_expected = 'any' then
    null;
  elsif p_expected = 'no_stream' then
    status := case when v_current <> -1 then 'conflict' end;
  elsif p_expected = 'stream_exists' then
    status := case when v_current = -1 then 'conflict' end;
  elsif v_current <> p_expected::bigint then
    status := 'conflict';
  end if;
  if status = 'conflict' then
    detail := v_current::text;
    return;
  end if;

  -- Each event's hash chains the previous one of its stream: ct_event_hash, written out inline.
  v_rev := v_current;
  for i in 0 .. v_count - 1 loop
    v_event := p_events->i;
    v_rev := v_rev + 1;
    v_hash := encode(sha256(convert_to(v_hash || '|' || ((v_event->>'id')::uuid)::text || '|' || p_stream || '|' || v_rev::text
      || '|' || (v_event->>'type') || '|' || (v_event->'data')::text || '|' || (v_event->'metadata')::text, 'UTF8')), 'hex');
    v_hashes[i + 1] := v_hash;
  end loop;

  if v_current = -1 then
    insert into ct_streams(stream_id, revision, last_hash) values (p_stream, v_current + v_count, v_hash)
      on conflict (stream_id) do update set revision = excluded.revision, last_hash = excluded.last_hash;
  else
    update ct_streams set revision = v_current + v_count, last_hash = v_hash where stream_id = p_stream;
  end if;

  if v_count = 1 then
    insert into ct_events(stream_id, revision, event_id, type, data, metadata, hash)
      values (p_stream, v_current + 1, v_first, v_event->>'type', v_event->'data', v_event->'metadata', v_hash)
      returning global_position into last_position;
  else
    with ins as (
      insert into ct_events(stream_id, revision, event_id, type, data, metadata, hash)
      select p_stream, v_current + x.ord, (x.e->>'id')::uuid, x.e->>'type', x.e->'data', x.e->'metadata', v_hashes[x.ord]
        from jsonb_array_elements(p_events) with ordinality as x(e, ord)
        order by x.ord
      returning global_position
    )
    select max(ins.global_position) into last_position from ins;
  end if;

  status := 'ok';
  next_revision := v_current + v_count;
  duplicate := false;
end
$fn$;

-- One append: errors are raised (CT409: wrong expected revision, detail = the actual revision;
-- CT002: the first event id is stored in another stream, detail = that stream).
create or replace function ct_append(p_stream text, p_expected text, p_events jsonb)
returns table(next_revision bigint, last_position bigint, duplicate boolean)
language plpgsql as $fn$
declare
  r record;
begin
  -- Serialise the writers of this stream (other streams are untouched) BEFORE anything assigns this
  -- transaction its id: the next writer of the stream then always gets a larger tx_id, so the
  -- (tx_id, global_position) order agrees with every stream's revisions. An advisory lock takes
  -- no transaction id; a row lock (SELECT FOR UPDATE) would. Hash collisions only serialise more.
  perform pg_advisory_xact_lock(hashtextextended(p_stream, 0));
  r := ct_append_locked(p_stream, p_expected, p_events);
  if r.status = 'conflict' then
    raise exception 'wrong expected revision' using errcode = 'CT409', detail = r.detail;
  elsif r.status = 'duplicate_id' then
    raise exception 'duplicate event id %', (p_events->0->>'id') using errcode = 'CT002', detail = r.detail;
  end if;
  next_revision := r.next_revision;
  last_position := r.last_position;
  duplicate := r.duplicate;
  return next;
end
$fn$;

-- Group commit: several appends (p_items: [{"s": stream, "x": expected, "e": events}, ...]) in one
-- statement and one transaction, each answered on its own (idx = its place in p_items) with the
-- status of ct_append_locked: one append's conflict fails that append only. Every stream's lock is
-- taken first, in key order (two batches never wait on each other in a cycle), and all of them
-- before the transaction has an id, for the same reason as in ct_append. Appends to one stream
-- apply in their order in the batch.
create or replace function ct_append_batch(p_items jsonb)
returns table(idx int, status text, next_revision bigint, last_position bigint, duplicate boolean, detail text)
language plpgsql as $fn$
declare
  v_key bigint;
  v_item jsonb;
  r record;
begin
  for v_key in select distinct hashtextextended(x.i->>'s', 0) from jsonb_array_elements(p_items) as x(i) order by 1 loop
    perform pg_advisory_xact_lock(v_key);
  end loop;
  for i in 0 .. jsonb_array_length(p_items) - 1 loop
    v_item := p_items->i;
    r := ct_append_locked(v_item->>'s', v_item->>'x', v_item->'e');
    idx := i;
    status := r.status;
    next_revision := r.next_revision;
    last_position := r.last_position;
    duplicate := r.duplicate;
    detail := r.detail;
    return next;
  end loop;
end
$fn$;
`;

/**
 * Integrity verification, one page of the hash chains: the next `$5` events after the keyset
 * ($2 stream, $3 revision) in (stream_id, revision) order, the unique index's order. `$1` says
 * whether the page continues a stream from the previous one, whose last revision and stored hash
 * are $3 and $4 (otherwise a stream starts at revision -1 with hash ''). Each event must follow
 * its predecessor's revision by one (catches a gap, and a missing first event), and its stored
 * hash must equal ct_event_hash of the predecessor's stored hash and its own columns (catches any
 * change to its id, stream, revision, type, data or metadata). Answers one row: how many events
 * and new streams the page held, its last event (the next keyset) and its broken event with the
 * lowest global position, if any.
 */
export const VERIFY_CHAIN_PAGE_SQL = `
with page as (
  select global_position, stream_id, revision, event_id, type, data, metadata, hash
    from ct_events
   where (stream_id, revision) > ($2::text, $3::bigint)
   order by stream_id, revision
   limit $5
), chained as (
  select p.*,
         lag(revision) over w is null and not ($1::boolean and stream_id = $2::text) as first_of_stream,
         coalesce(lag(revision) over w, case when $1::boolean and stream_id = $2::text then $3::bigint else -1 end) as prev_revision,
         coalesce(lag(hash) over w, case when $1::boolean and stream_id = $2::text then $4::text else '' end) as prev_hash
    from page p
  window w as (partition by stream_id order by revision)
), checked as (
  select global_position, stream_id, revision, event_id, hash, first_of_stream,
         case
           when revision <> prev_revision + 1 and prev_revision = -1 then
             case when revision = 1 then 'the first event (revision 0) is missing'
                  else format('the stream starts at revision %s: revisions 0..%s are missing', revision, revision - 1) end
           when revision <> prev_revision + 1 then
             case when revision = prev_revision + 2 then format('revision %s is missing (revision %s follows %s)', prev_revision + 1, revision, prev_revision)
                  else format('revisions %s..%s are missing (revision %s follows %s)', prev_revision + 1, revision - 1, revision, prev_revision) end
           when hash <> ct_event_hash(prev_hash, event_id, stream_id, revision, type, data, metadata) then
             'its stored hash does not match its content chained to the previous event''s hash (altered event)'
         end as reason
    from chained
)
select (select count(*) from checked)::int as checked,
       (select count(*) from checked where first_of_stream)::int as streams,
       (select row_to_json(l) from (
          select stream_id, revision, hash from checked order by stream_id desc, revision desc limit 1) l) as last,
       (select row_to_json(b) from (
          select stream_id, revision, global_position::text as position, event_id::text as event_id, reason
            from checked where reason is not null order by global_position limit 1) b) as broken
`;

/**
 * Integrity verification, the streams' heads: a stream whose head row (ct_streams) does not name
 * its last stored event (a truncated tail, or a rewritten last event). Answers the one with the
 * lowest global position (streams without any event last).
 */
export const VERIFY_CHAIN_HEADS_SQL = `
select s.stream_id, s.revision::text as head_revision, e.revision::text as last_revision,
       e.global_position::text as position, e.event_id::text as event_id, e.hash = s.last_hash as same_hash
  from ct_streams s
  left join lateral (
    select revision, hash, global_position, event_id from ct_events
     where stream_id = s.stream_id order by revision desc limit 1
  ) e on true
 where e.revision is null or e.revision <> s.revision or e.hash <> s.last_hash
 order by e.global_position nulls last
 limit 1
`;
