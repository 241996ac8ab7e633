/**
 * The event store as it was before the benchmark's fixes (git 5e1daab and earlier), kept only to
 * measure "before" and "after" in the same run: `BENCH_STORES=ours-before,ours npm run bench --
 * --suites event-store`. The door creates the current schema, then puts back this ct_append, and
 * reads with the old per-row queries and BigInt checkpoints (bench/suites/event-store.ts).
 */
export const BASELINE_CT_APPEND_SQL = `
create or replace function ct_append(p_stream text, p_expected text, p_events jsonb)
returns table(next_revision bigint, last_position bigint, duplicate boolean)
language plpgsql as $fn$
declare
  v_current bigint;
  v_hash text;
  v_count int := jsonb_array_length(p_events);
  v_ids uuid[];
  v_hashes text[] := '{}';
  v_existing_stream text;
  v_event jsonb;
  v_rev bigint;
begin
  select array_agg((e->>'id')::uuid order by ord) into v_ids
    from jsonb_array_elements(p_events) with ordinality as x(e, ord);

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
  select e.stream_id into v_existing_stream from ct_events e where e.event_id = v_ids[1];
  if found then
    if v_existing_stream <> p_stream then
      raise exception 'duplicate event id %', v_ids[1] using errcode = 'CT002', detail = v_existing_stream;
    end if;
    return query select max(e.revision), max(e.global_position), true
      from ct_events e where e.event_id = any(v_ids);
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

  v_rev := v_current;
  for v_event in select e from jsonb_array_elements(p_events) with ordinality as x(e, ord) order by ord loop
    v_rev := v_rev + 1;
    v_hash := ct_event_hash(v_hash, (v_event->>'id')::uuid, p_stream, v_rev, v_event->>'type',
                            v_event->'data', v_event->'metadata');
    v_hashes := v_hashes || v_hash;
  end loop;

  insert into ct_streams(stream_id, revision, last_hash) values (p_stream, v_current + v_count, v_hash)
    on conflict (stream_id) do update set revision = excluded.revision, last_hash = excluded.last_hash;

  return query
    with ins as (
      insert into ct_events(stream_id, revision, event_id, type, data, metadata, hash)
      select p_stream, v_current + x.ord, (x.e->>'id')::uuid, x.e->>'type', x.e->'data', x.e->'metadata', v_hashes[x.ord]
        from jsonb_array_elements(p_events) with ordinality as x(e, ord)
        order by x.ord
      returning global_position
    )
    select v_current + v_count, max(ins.global_position), false from ins;
end
$fn$;
`;

/** The old readStream / readAll columns (one protocol row per event). */
export const BASELINE_EVENT_COLUMNS = `e.global_position::text as position_text, e.tx_id::text as tx, e.stream_id, e.revision::text as revision_text,
  e.event_id::text as event_id, e.type, e.data, e.metadata`;
