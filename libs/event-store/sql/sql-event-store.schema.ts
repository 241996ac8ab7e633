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
 * of one stream only, and before the transaction gets its id: see the function), checks the expected revision, recognises a retried append by its
 * event ids, and inserts the batch with each event's hash chained to the previous one of its stream.
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

create or replace function ct_append(p_stream text, p_expected text, p_events jsonb)
returns table(next_revision bigint, last_position bigint, duplicate boolean)
language plpgsql as $fn$
-- Kept cheap on purpose (bench/, BENCHMARKS.md): no query to parse the batch (its first id is
-- read directly, the others only on a retry), the hash computed inline (the very expression of
-- ct_event_hash, which verification uses: the stored hashes are the same), one statement per
-- table, and a single-event append inserts its row without a set-returning function.
declare
  v_current bigint;
  v_hash text;
  v_count int := jsonb_array_length(p_events);
  v_first uuid := (p_events->0->>'id')::uuid;
  v_hashes text[] := '{}';
  v_existing_stream text;
  v_event jsonb;
  v_rev bigint;
  v_last bigint;
begin
  -- Serialise the writers of this stream (other streams are untouched) BEFORE anything assigns this
  -- transaction its id: the next writer of the stream then always gets a larger tx_id, so the
  -- (tx_id, global_position) order agrees with every stream's revisions. An advisory lock takes
  -- no transaction id; a row lock (SELECT FOR UPDATE) would. Hash collisions only serialise more.
  perform pg_advisory_xact_lock(hashtextextended(p_stream, 0));
  select s.revision, s.last_hash into v_current, v_hash from ct_streams s where s.stream_id = p_stream;
  if not found then
    v_current := -1;
    v_hash := '';
  end if;

  -- A retried append (its first event id is stored already) is a no-op returning the first answer.
  select e.stream_id into v_existing_stream from ct_events e where e.event_id = v_first;
  if found then
    if v_existing_stream <> p_stream then
      raise exception 'duplicate event id %', v_first using errcode = 'CT002', detail = v_existing_stream;
    end if;
    return query select max(e.revision), max(e.global_position), true
      from ct_events e where e.event_id in (select (x.e->>'id')::uuid from jsonb_array_elements(p_events) as x(e));
    return;
  end if;

  if p_expected = 'any' then
    null;
  elsif p_expected = 'no_stream' then
    if v_current <> -1 then
      raise exception 'wrong expected revision' using errcode = 'CT409', detail = v_current::text;
    end if;
  elsif p_expected = 'stream_exists' then
    if v_current = -1 then
      raise exception 'wrong expected revision' using errcode = 'CT409', detail = v_current::text;
    end if;
  elsif v_current <> p_expected::bigint then
    raise exception 'wrong expected revision' using errcode = 'CT409', detail = v_current::text;
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
      returning global_position into v_last;
  else
    with ins as (
      insert into ct_events(stream_id, revision, event_id, type, data, metadata, hash)
      select p_stream, v_current + x.ord, (x.e->>'id')::uuid, x.e->>'type', x.e->'data', x.e->'metadata', v_hashes[x.ord]
        from jsonb_array_elements(p_events) with ordinality as x(e, ord)
        order by x.ord
      returning global_position
    )
    select max(ins.global_position) into v_last from ins;
  end if;

  next_revision := v_current + v_count;
  last_position := v_last;
  duplicate := false;
  return next;
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
