import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';
import type { SqlClient } from '../../libs/event-store/sql/sql-client';
import { READ_MODEL_SQL } from '../../libs/platform/tokens';
import { caseBody, expectProblem, history, submitCase, types, unique } from '../support/case-fixtures';
import { testDatabaseUrl } from '../support/test-database';
import { startTestService, TestResponse, TestService, withSearchPath } from '../support/test-service';
import { seedEmbeddedStore } from '../support/pglite-template';

type Store = 'embedded' | 'postgres';

/**
 * Where one test file's service keeps its data, kept across restarts of the service (and shared
 * by two services at once on PostgreSQL, as two API processes would).
 */
function persistentStore(store: Store) {
  const id = unique();
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-idem-'));
  const schema = `ct_test_idem_${id}`;
  const env: Record<string, string> =
    store === 'postgres'
      ? { EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(testDatabaseUrl(), schema) }
      : { DATA_DIR: dataDir };
  return {
    async create() {
      if (store !== 'postgres') return void (await seedEmbeddedStore(dataDir));
      const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
      await admin.exec(`create schema ${schema}`);
      await admin.close();
    },
    // startTestService's own store is replaced by this one (it still gives each service its own
    // Redis prefix and temporary directory for its keys).
    start: (): Promise<TestService> => startTestService({ env }),
    async destroy() {
      if (store === 'postgres') {
        const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
        await admin.exec(`drop schema if exists ${schema} cascade`);
        await admin.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface StoredEvent {
  id: string;
  type: string;
  streamId: string;
  data: Record<string, unknown>;
  actor: string;
}

/**
 * Every event of the store, straight from its table (white-box: to count what a race really
 * wrote). Not through readAll, which holds back rows of transactions newer than the oldest still
 * running (a projection's, say), so that two reads a moment apart may differ with nothing written.
 */
async function allEvents(service: TestService): Promise<StoredEvent[]> {
  const sql = service.service.app.get<symbol, SqlClient>(READ_MODEL_SQL, { strict: false });
  return sql.query<StoredEvent & Record<string, unknown>>(
    `select event_id::text as "id", type, stream_id as "streamId", data, metadata->>'actor' as actor from ct_events order by global_position`,
  );
}

/** What the store gained since `before` (read with allEvents): [] when nothing was written. */
async function writtenSince(
  service: TestService,
  before: StoredEvent[],
): Promise<Array<{ type: string; streamId: string; actor: string }>> {
  const known = new Set(before.map((e) => e.id));
  return (await allEvents(service))
    .filter((e) => !known.has(e.id))
    .map((e) => ({ type: e.type, streamId: e.streamId, actor: e.actor }));
}

/** The CaseSubmitted events whose summary starts with `marker`. */
async function submittedWith(service: TestService, marker: string): Promise<StoredEvent[]> {
  return (await allEvents(service)).filter(
    (e) => e.type === 'CaseSubmitted' && String(e.data.summary).startsWith(marker),
  );
}

function expectReplayOf(replay: TestResponse, first: TestResponse): void {
  expect({ status: replay.status, body: replay.body, etag: replay.headers.get('etag') }).toEqual({
    status: first.status,
    body: first.body,
    etag: first.headers.get('etag'),
  });
}

describe.each<Store>(['embedded', 'postgres'])('Idempotency-Key is exactly once (%s store)', (store) => {
  const data = persistentStore(store);
  let service: TestService;
  beforeAll(async () => {
    await data.create();
    service = await data.start();
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await data.destroy();
  });

  it('50 parallel identical submissions with one key: one case, and all 50 get the same 201, body and ETag', async () => {
    const marker = `same-${unique()}`;
    const body = caseBody({ proposedSeverity: 'B', summary: marker });
    const key = `submit-${unique()}`;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const first = responses[0];
    expect(first.body).toMatchObject({ caseId: expect.any(String), reference: expect.stringMatching(/^SR-/) });
    for (const r of responses) expectReplayOf(r, first);
    // All but the one that ran say they are replays.
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);

    const stored = await submittedWith(service, marker);
    expect(stored.map((e) => e.data.caseId)).toEqual([first.body.caseId]);
    expect(types(await history(service, first.body.caseId))).toEqual([
      'CaseSubmitted',
      'SeverityAssigned',
      'SlaClockStarted',
    ]);
  }, 60_000);

  it('10 parallel submissions with one key and different bodies: one 201, nine 422, and the stored case is the 201', async () => {
    const marker = `differ-${unique()}`;
    const key = `submit-${unique()}`;
    const eventsBefore = await allEvents(service);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        service.request('POST', '/v1/cases', {
          body: caseBody({ summary: `${marker}-${i}` }),
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    const created = responses.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const refused = responses.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(9);
    for (const r of refused) expectProblem(r, 422);

    const stored = await submittedWith(service, marker);
    expect(stored).toHaveLength(1);
    expect(stored[0].data).toMatchObject({
      caseId: created[0].body.caseId,
      reference: created[0].body.reference,
      summary: `${marker}-${responses.indexOf(created[0])}`,
    });
    // Nothing else was written: the case's events only (the reference reservation and the case).
    const caseEvents = await history(service, created[0].body.caseId);
    const byStream = (a: { streamId: string }, b: { streamId: string }) => a.streamId.localeCompare(b.streamId);
    expect((await writtenSince(service, eventsBefore)).sort(byStream)).toEqual(
      [
        ...caseEvents.map((e) => ({ type: e.type, streamId: `case-${created[0].body.caseId}`, actor: 'support-1' })),
        { type: 'CaseReferenceReserved', streamId: `reference-${created[0].body.reference}`, actor: 'support-1' },
      ].sort(byStream),
    );
  }, 60_000);

  it('an update and a resolution raced with one key on one case: one 2xx, one 422, and the 2xx is in the history', async () => {
    for (let round = 0; round < 3; round++) {
      const { caseId } = await submitCase(service, { proposedSeverity: 'A' });
      const key = `race-${unique()}`;
      const [update, resolution] = await Promise.all([
        service.request('POST', `/v1/cases/${caseId}/updates`, {
          body: { channel: 'email', summary: 'on it' },
          headers: { 'idempotency-key': key },
        }),
        service.request('POST', `/v1/cases/${caseId}/resolution`, {
          body: { summary: 'fixed' },
          headers: { 'idempotency-key': key },
        }),
      ]);
      // Exactly one ran (201 for the update, 200 for the resolution); the other is a 422.
      expect([update.status, resolution.status]).toEqual(update.status === 201 ? [201, 422] : [422, 200]);
      expectProblem(update.status === 201 ? resolution : update, 422);

      const after = types(await history(service, caseId));
      if (update.status === 201) {
        expect(after).toContain('UpdateSent');
        expect(after).not.toContain('CaseResolved');
      } else {
        expect(after).toContain('CaseResolved');
        expect(after).not.toContain('UpdateSent');
      }
    }
  }, 60_000);

  it('the same key on another route, or on another case, is a 422 and writes nothing', async () => {
    const { caseId } = await submitCase(service);
    const other = await submitCase(service);
    const key = `route-${unique()}`;
    const body = { reason: 'no answer from the engineer' };
    const first = await service.request('POST', `/v1/cases/${caseId}/updates`, {
      body: { channel: 'email', summary: 'on it' },
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    const eventsBefore = await allEvents(service);

    expectProblem(
      await service.request('POST', `/v1/cases/${caseId}/escalations`, { body, headers: { 'idempotency-key': key } }),
      422,
    );
    expectProblem(
      await service.request('POST', `/v1/cases/${other.caseId}/updates`, {
        body: { channel: 'email', summary: 'on it' },
        headers: { 'idempotency-key': key },
      }),
      422,
    );
    expectProblem(
      await service.request('POST', '/v1/cases', { body: caseBody(), headers: { 'idempotency-key': key } }),
      422,
    );
    expect(await writtenSince(service, eventsBefore)).toEqual([]);

    // The same request again is still the first answer.
    const again = await service.request('POST', `/v1/cases/${caseId}/updates`, {
      body: { channel: 'email', summary: 'on it' },
      headers: { 'idempotency-key': key },
    });
    expectReplayOf(again, first);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  }, 60_000);

  it('the key belongs to its principal: another key holder using the same Idempotency-Key runs its own request', async () => {
    const key = `principal-${unique()}`;
    const mine = await service.request('POST', '/v1/cases', { body: caseBody(), headers: { 'idempotency-key': key } });
    const theirs = await service.request('POST', '/v1/cases', {
      key: 'manager',
      body: caseBody(),
      headers: { 'idempotency-key': key },
    });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.caseId).not.toBe(mine.body.caseId);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  }, 60_000);

  it('a refused command is refused again with the same key, even once the command would pass', async () => {
    const { caseId } = await submitCase(service);
    const key = `refused-${unique()}`;
    const close = () =>
      service.request('POST', `/v1/cases/${caseId}/closure`, { body: {}, headers: { 'idempotency-key': key } });
    const refused = await close();
    expectProblem(refused, 409);

    // Resolved now: a new closure would pass, but this key already has its answer.
    const resolved = await service.request('POST', `/v1/cases/${caseId}/resolution`, { body: { summary: 'fixed' } });
    expect(resolved.status).toBe(200);
    const replay = await close();
    expectProblem(replay, 409);
    expect(replay.body).toEqual(refused.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(types(await history(service, caseId))).not.toContain('CaseClosed');

    // A new key runs the command.
    const closed = await service.request('POST', `/v1/cases/${caseId}/closure`, {
      body: {},
      headers: { 'idempotency-key': `${key}-2` },
    });
    expect(closed.status).toBe(200);
  }, 60_000);

  it('while a run holds the key (here: another process that is slow), a repeat waits for its answer and another request is a 422 at once', async () => {
    const sql = service.service.app.get<symbol, SqlClient>(READ_MODEL_SQL, { strict: false });
    const key = `slow-${unique()}`;
    const body = caseBody({ summary: `slow-${unique()}` });
    const first = await service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    // Back to "claimed just now, no answer yet", as while another process runs the request.
    await sql.query(
      `update ct_idempotency set state = 'pending', status = null, response = null, etag = null, claimed_at = now() where key = $1`,
      [key],
    );
    const eventsBefore = await allEvents(service);

    const started = Date.now();
    const repeat = service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } });
    const other = await service.request('POST', '/v1/cases', {
      body: { ...body, summary: 'another' },
      headers: { 'idempotency-key': key },
    });
    expectProblem(other, 422);
    // The repeat is still waiting; the other process stores its answer.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const answer = { ...first.body, note: 'stored by the other process' };
    await sql.query(
      `update ct_idempotency set state = 'done', status = 201, response = $2, etag = '"41"' where key = $1`,
      [key, JSON.stringify(answer)],
    );
    const replay = await repeat;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect({ status: replay.status, body: replay.body, etag: replay.headers.get('etag') }).toEqual({
      status: 201,
      body: answer,
      etag: '"41"',
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await writtenSince(service, eventsBefore)).toEqual([]);
  }, 60_000);

  it('a retry that takes over the claim of a run that crashed after storing its events gets the first answer and writes nothing', async () => {
    const sql = service.service.app.get<symbol, SqlClient>(READ_MODEL_SQL, { strict: false });
    // The run's events are stored, its answer is not, and its claim is past the lease: as if its
    // process died between the append and recording the answer.
    const crash = (key: string) =>
      sql.query(
        `update ct_idempotency set state = 'pending', status = null, response = null, etag = null, claimed_at = now() - interval '2 minutes' where key = $1`,
        [key],
      );

    const submitKey = `crash-${unique()}`;
    const body = caseBody({ proposedSeverity: 'A' });
    const submitted = await service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': submitKey } });
    expect(submitted.status).toBe(201);
    const caseId = submitted.body.caseId;
    await crash(submitKey);
    const eventsBefore = await allEvents(service);
    const retried = await service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': submitKey } });
    expectReplayOf(retried, submitted);
    expect(await writtenSince(service, eventsBefore)).toEqual([]);

    // A command that could not run twice (a resolved case cannot be resolved again), with another
    // command in between.
    const resolveKey = `crash-${unique()}`;
    const resolve = () =>
      service.request('POST', `/v1/cases/${caseId}/resolution`, {
        body: { summary: 'fixed' },
        headers: { 'idempotency-key': resolveKey },
      });
    const resolved = await resolve();
    expect(resolved.status).toBe(200);
    await crash(resolveKey);
    expect(
      (await service.request('POST', `/v1/cases/${caseId}/reopening`, { body: { reason: 'not quite' } })).status,
    ).toBe(200);
    const before = await history(service, caseId);
    const retriedResolution = await resolve();
    expectReplayOf(retriedResolution, resolved);
    expect(await history(service, caseId)).toEqual(before);
    // And that answer is now the key's.
    const again = await resolve();
    expectReplayOf(again, resolved);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  }, 60_000);

  it('after a restart of the service, a repeat gets the first answer and writes nothing', async () => {
    const key = `restart-${unique()}`;
    const body = caseBody({ summary: `restart-${unique()}` });
    const first = await service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    await service.close();
    service = await data.start();

    const eventsBefore = await allEvents(service);
    const replay = await service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } });
    expectReplayOf(replay, first);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expectProblem(
      await service.request('POST', '/v1/cases', {
        body: { ...body, summary: 'another' },
        headers: { 'idempotency-key': key },
      }),
      422,
    );
    expect(await writtenSince(service, eventsBefore)).toEqual([]);
  }, 90_000);

  if (store === 'postgres') {
    // (On one store only: it takes the 30 s that a repeat waits.)
    it('a repeat waits at most 30 s for a run that neither answers nor is abandoned: then 409 with Retry-After, nothing written', async () => {
      const sql = service.service.app.get<symbol, SqlClient>(READ_MODEL_SQL, { strict: false });
      const key = `stuck-${unique()}`;
      const body = caseBody();
      expect((await service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } })).status).toBe(
        201,
      );
      // Claimed 20 s ago, no answer: within the 60 s lease the whole time the repeat waits.
      await sql.query(
        `update ct_idempotency set state = 'pending', status = null, response = null, etag = null, claimed_at = now() - interval '20 seconds' where key = $1`,
        [key],
      );
      const eventsBefore = await allEvents(service);
      const started = Date.now();
      const repeat = await service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } });
      const waited = Date.now() - started;
      expectProblem(repeat, 409);
      expect(repeat.headers.get('retry-after')).toBe('1');
      expect(waited).toBeGreaterThanOrEqual(29_000);
      expect(waited).toBeLessThan(40_000);
      expect(await writtenSince(service, eventsBefore)).toEqual([]);
    }, 90_000);

    it('two API processes on one database: 30 identical submissions spread over both run once, all get the same answer', async () => {
      const second = await data.start();
      try {
        const marker = `two-${unique()}`;
        const body = caseBody({ summary: marker });
        const key = `two-${unique()}`;
        const responses = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            (i % 2 ? second : service).request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } }),
          ),
        );
        expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
        for (const r of responses) expectReplayOf(r, responses[0]);
        expect(await submittedWith(service, marker)).toHaveLength(1);
        const different = await second.request('POST', '/v1/cases', {
          body: { ...body, summary: `${marker}-other` },
          headers: { 'idempotency-key': key },
        });
        expectProblem(different, 422);
      } finally {
        await second.close();
      }
    }, 90_000);
  }
});
