import { randomUUID } from 'node:crypto';
import { testDatabaseUrl } from '../../../test/support/test-database';
import { PgliteSqlClient } from '../../event-store/sql/pglite-sql-client';
import { PgSqlClient } from '../../event-store/sql/pg-sql-client';
import { SqlClient } from '../../event-store/sql/sql-client';
import { IDEMPOTENCY_TABLE_V1, IdempotencyStore } from './idempotency.store';
import { freshPgliteDir } from '../../../test/support/pglite-template';

interface Database {
  /** A client of the test's database (PostgreSQL: a pool; PGlite: the one connection). */
  client(): SqlClient;
  close(): Promise<void>;
}

async function pglite(): Promise<Database> {
  const files = await freshPgliteDir(); // a fresh database without an initdb of its own
  const sql = await PgliteSqlClient.open(files.dir);
  return { client: () => sql, close: () => sql.close().finally(files.remove) };
}

/** A schema of its own; each client() is a pool of its own, as another API process would have. */
async function postgres(): Promise<Database> {
  const schema = `ct_test_idem_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
  await admin.exec(`create schema ${schema}`);
  const clients: PgSqlClient[] = [];
  return {
    client() {
      const client = new PgSqlClient(testDatabaseUrl(), { schema, max: 10 });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await admin.exec(`drop schema ${schema} cascade`);
      await admin.close();
    },
  };
}

const key = () => `key-${randomUUID()}`;
const answer = {
  status: 201,
  body: { caseId: 'c-1', reference: 'SR-1', revision: 2, position: '17', nested: { z: 1, a: [3, 1] } },
  etag: '"2"',
};

describe.each([
  ['PGlite', pglite],
  ['PostgreSQL', postgres],
] as const)('IdempotencyStore: claims on %s', (_name, open) => {
  let db: Database;
  let sql: SqlClient;
  let store: IdempotencyStore;
  beforeAll(async () => {
    db = await open();
    sql = db.client();
    store = new IdempotencyStore(sql);
    await store.migrate();
  }, 60_000);
  afterAll(() => db.close());

  /** Makes the key's pending claim look `ageMs` old (the lease is counted by the database's clock). */
  const age = (k: string, ageMs: number) =>
    sql.query(`update ct_idempotency set claimed_at = now() - $2::int * interval '1 millisecond' where key = $1`, [
      k,
      ageMs,
    ]);

  it('the first claim runs; a repeat meanwhile is told it runs, another request is a mismatch; then the answer is replayed exactly', async () => {
    const k = key();
    const first = await store.claim('alice', k, 'fp-1');
    expect(first).toEqual({ kind: 'claimed', token: expect.any(String) });
    expect(await store.claim('alice', k, 'fp-1')).toEqual({ kind: 'running' });
    expect(await store.claim('alice', k, 'fp-2')).toEqual({ kind: 'mismatch' });
    // Keys belong to their principal.
    expect((await store.claim('bob', k, 'fp-2')).kind).toBe('claimed');

    expect(await store.complete('alice', k, (first as { token: string }).token, answer)).toBe(true);
    const replay = await store.claim('alice', k, 'fp-1');
    expect(replay).toEqual({ kind: 'done', response: answer });
    // The body comes back as it was serialised (jsonb would have reordered its keys).
    expect(JSON.stringify((replay as { response: { body: unknown } }).response.body)).toBe(JSON.stringify(answer.body));
    expect(await store.claim('alice', k, 'fp-2')).toEqual({ kind: 'mismatch' });
  });

  it('a stored refusal is replayed like an answer', async () => {
    const k = key();
    const claim = (await store.claim('alice', k, 'fp')) as { token: string };
    const refusal = {
      status: 409,
      body: {
        type: 'https://casetrail.dev/problems/conflict',
        title: 'Conflict',
        status: 409,
        detail: 'the case is open',
      },
      etag: null,
    };
    await store.complete('alice', k, claim.token, refusal);
    expect(await store.claim('alice', k, 'fp')).toEqual({ kind: 'done', response: refusal });
  });

  it('a released claim (a 5xx) lets the next request with the key run', async () => {
    const k = key();
    const first = (await store.claim('alice', k, 'fp')) as { token: string };
    await store.release('alice', k, first.token);
    const second = await store.claim('alice', k, 'fp');
    expect(second).toEqual({ kind: 'claimed', token: expect.any(String) });
    expect((second as { token: string }).token).not.toBe(first.token);
    // The first claimant's late release does not free the new claim.
    await store.release('alice', k, first.token);
    expect(await store.claim('alice', k, 'fp')).toEqual({ kind: 'running' });
  });

  it('a pending claim older than the lease is taken over; the first claimant can then no longer store its answer', async () => {
    const k = key();
    const crashed = (await store.claim('alice', k, 'fp')) as { token: string };
    await age(k, 59_000);
    expect(await store.claim('alice', k, 'fp')).toEqual({ kind: 'running' });
    // Another request never takes over a claim, abandoned or not.
    await age(k, 61_000);
    expect(await store.claim('alice', k, 'other')).toEqual({ kind: 'mismatch' });

    const retry = await store.claim('alice', k, 'fp');
    expect(retry).toEqual({ kind: 'claimed', token: expect.any(String) });
    expect((retry as { token: string }).token).not.toBe(crashed.token);
    // The retry's claim is fresh: a repeat waits for it again.
    expect(await store.claim('alice', k, 'fp')).toEqual({ kind: 'running' });

    expect(await store.complete('alice', k, crashed.token, { ...answer, etag: '"stale"' })).toBe(false);
    expect(await store.complete('alice', k, (retry as { token: string }).token, answer)).toBe(true);
    expect(await store.claim('alice', k, 'fp')).toEqual({ kind: 'done', response: answer });
  });

  it('a shorter lease can be configured', async () => {
    const short = new IdempotencyStore(sql, 1);
    const k = key();
    await short.claim('alice', k, 'fp');
    await age(k, 5);
    expect((await short.claim('alice', k, 'fp')).kind).toBe('claimed');
  });

  it('20 concurrent claims of one key from several clients: exactly one runs', async () => {
    // On PostgreSQL: three pools, as three API processes would have.
    const stores = [store, new IdempotencyStore(db.client()), new IdempotencyStore(db.client())];
    const k = key();
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 3].claim('alice', k, 'fp')));
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'running')).toHaveLength(19);

    // And 20 concurrent takeovers of the abandoned claim: exactly one.
    await age(k, 120_000);
    const takeovers = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 3].claim('alice', k, 'fp')));
    expect(takeovers.filter((c) => c.kind === 'claimed')).toHaveLength(1);
  });

  it('20 concurrent claims of one key with different requests: one runs, the others are mismatches', async () => {
    const k = key();
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claim('alice', k, `fp-${i}`)));
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'mismatch')).toHaveLength(19);
  });
});

describe.each([
  ['PGlite', pglite],
  ['PostgreSQL', postgres],
] as const)('IdempotencyStore: migrating the first version of ct_idempotency on %s', (_name, open) => {
  let db: Database;
  afterAll(() => db.close());

  it('keeps its answers (replayed to the legacy request hash), and migrating again (several at once) changes nothing', async () => {
    db = await open();
    const sql = db.client();
    await sql.exec(IDEMPOTENCY_TABLE_V1);
    await sql.query(
      `insert into ct_idempotency (principal, key, request_hash, status, body, etag) values ('alice', 'old', 'legacy-hash', 201, $1::jsonb, '"0"')`,
      [JSON.stringify({ caseId: 'c-old', revision: 0 })],
    );

    const stores = [new IdempotencyStore(sql), new IdempotencyStore(db.client()), new IdempotencyStore(db.client())];
    await Promise.all(stores.map((s) => s.migrate()));
    await stores[0].migrate();

    const store = stores[0];
    expect(await store.claim('alice', 'old', 'new-fingerprint', 'legacy-hash')).toEqual({
      kind: 'done',
      response: { status: 201, body: { caseId: 'c-old', revision: 0 }, etag: '"0"' },
    });
    expect(await store.claim('alice', 'old', 'new-fingerprint', 'another-legacy-hash')).toEqual({ kind: 'mismatch' });
    // New claims work in the migrated table.
    const claim = await store.claim('alice', 'new', 'fp');
    expect(claim.kind).toBe('claimed');
    await store.complete('alice', 'new', (claim as { token: string }).token, answer);
    expect(await store.claim('alice', 'new', 'fp')).toEqual({ kind: 'done', response: answer });
  }, 60_000);
});
