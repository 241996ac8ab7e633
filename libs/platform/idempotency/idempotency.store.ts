import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SqlClient } from '../../event-store/sql/sql-client';
import { READ_MODEL_SQL } from '../tokens';

/** The answer a request with an Idempotency-Key got: replayed to every repeat of it. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly etag: string | null;
}

/** What claiming a key for a request found. */
export type Claim =
  /** This request holds the key now: run it, then `complete` (or `release` it on a failure). */
  | { readonly kind: 'claimed'; readonly token: string }
  /** The key's request has run: its answer. */
  | { readonly kind: 'done'; readonly response: StoredResponse }
  /** The key's request runs now (here or in another process): wait and claim again. */
  | { readonly kind: 'running' }
  /** The key was used for another request (another body, route or method). */
  | { readonly kind: 'mismatch' };

export const IDEMPOTENCY_LEASE_MS = Symbol('IDEMPOTENCY_LEASE_MS');

/**
 * How long a claim holds without an answer before a retry may take it over: a process that
 * crashed (or lost the database) while running a request leaves its claim behind. A command takes
 * milliseconds, so a minute is very generous; a takeover that overlaps a slow first run is still
 * harmless, since both derive the same event ids and the store keeps the first append only.
 */
export const DEFAULT_LEASE_MS = 60_000;

/**
 * Idempotency keys as claims in the read-model database (PostgreSQL, or PGlite on the embedded
 * store), so that every API process sharing it, and a service restarted, see the same ones.
 *
 * A request first inserts a `pending` row for (principal, key) with its fingerprint; the insert
 * that wins (`on conflict do nothing`) runs the request and then writes its answer into the row
 * (`done`). Every other request with the key finds the row: another fingerprint is refused, a
 * `done` row is replayed, a `pending` one is waited for. A failure that may pass on a retry
 * (5xx) deletes the claim; a pending claim older than the lease is taken over.
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit {
  private readonly leaseMs: number;

  constructor(
    @Inject(READ_MODEL_SQL) private readonly sql: SqlClient,
    @Optional() @Inject(IDEMPOTENCY_LEASE_MS) leaseMs?: number,
  ) {
    this.leaseMs = leaseMs ?? DEFAULT_LEASE_MS;
  }

  async onModuleInit(): Promise<void> {
    await this.migrate();
  }

  /**
   * Creates the table, or brings one of an earlier version up to date: its rows are all answers
   * (`done`), so the new columns default to that. Several processes may start at once: the
   * migration runs under a transaction-scoped advisory lock, one after another.
   */
  async migrate(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtextextended('ct_idempotency', 0))`);
      for (const statement of MIGRATION) await tx.query(statement);
    });
  }

  /**
   * Claims `key` for the request with `fingerprint`, or says who has it. `legacyHash`: how a row
   * stored before fingerprints were introduced names the same request.
   */
  async claim(principal: string, key: string, fingerprint: string, legacyHash?: string): Promise<Claim> {
    // Each round either answers or saw the row change under it (released, taken over): a few do.
    for (let round = 0; round < 20; round++) {
      const token = randomUUID();
      const inserted = await this.sql.query(
        `insert into ct_idempotency (principal, key, request_hash, state, claim_token, claimed_at)
         values ($1, $2, $3, 'pending', $4, now()) on conflict do nothing returning claim_token`,
        [principal, key, fingerprint, token],
      );
      if (inserted.length > 0) return { kind: 'claimed', token };

      const [row] = await this.sql.query<ClaimRow>(
        `select request_hash, state, status, response, body, etag, claim_token,
                (state = 'pending' and claimed_at < now() - $3::int * interval '1 millisecond') as abandoned
           from ct_idempotency where principal = $1 and key = $2`,
        [principal, key, this.leaseMs],
      );
      // Gone between the two statements (its run failed and released it): claim again.
      if (!row) continue;
      const same =
        row.request_hash === fingerprint ||
        (row.claim_token === null && legacyHash !== undefined && row.request_hash === legacyHash);
      if (!same) return { kind: 'mismatch' };
      if (row.state === 'done') {
        return {
          kind: 'done',
          response: {
            status: row.status!,
            body: row.response !== null ? JSON.parse(row.response) : row.body,
            etag: row.etag,
          },
        };
      }
      if (!row.abandoned) return { kind: 'running' };
      // Abandoned: take it over, unless another retry just did (the token changed).
      const taken = await this.sql.query(
        `update ct_idempotency set claim_token = $4, claimed_at = now()
          where principal = $1 and key = $2 and state = 'pending' and claim_token = $3 returning claim_token`,
        [principal, key, row.claim_token, token],
      );
      if (taken.length > 0) return { kind: 'claimed', token };
    }
    return { kind: 'running' };
  }

  /**
   * Stores the claimed request's answer. False when the claim is no longer this one's (it was
   * taken over after the lease): the one that took it over stores its own (the same) answer.
   */
  async complete(principal: string, key: string, token: string, response: StoredResponse): Promise<boolean> {
    const rows = await this.sql.query(
      `update ct_idempotency set state = 'done', status = $4, response = $5, etag = $6, completed_at = now()
        where principal = $1 and key = $2 and claim_token = $3 and state = 'pending' returning key`,
      [principal, key, token, response.status, JSON.stringify(response.body ?? null), response.etag],
    );
    return rows.length > 0;
  }

  /** Gives the key up (the run failed in a way a retry may not): the next request with it runs. */
  async release(principal: string, key: string, token: string): Promise<void> {
    await this.sql.query(
      `delete from ct_idempotency where principal = $1 and key = $2 and claim_token = $3 and state = 'pending'`,
      [principal, key, token],
    );
  }
}

interface ClaimRow extends Record<string, unknown> {
  request_hash: string;
  state: 'pending' | 'done';
  status: number | null;
  /** The answer's body as it was serialised (jsonb would reorder its keys). */
  response: string | null;
  /** Rows of the first version: the body as jsonb. */
  body: unknown;
  etag: string | null;
  claim_token: string | null;
  abandoned: boolean;
}

/** Version 1 of the table (answers only, stored after success): what older deployments hold. */
export const IDEMPOTENCY_TABLE_V1 = `create table if not exists ct_idempotency (
     principal text not null,
     key text not null,
     request_hash text not null,
     status int not null,
     body jsonb not null,
     etag text,
     created_at timestamptz not null default now(),
     primary key (principal, key)
   )`;

const MIGRATION = [
  IDEMPOTENCY_TABLE_V1,
  // Version 2: claims. A pending row has no answer yet.
  `alter table ct_idempotency add column if not exists state text not null default 'done'`,
  `alter table ct_idempotency add column if not exists claim_token text`,
  `alter table ct_idempotency add column if not exists claimed_at timestamptz`,
  `alter table ct_idempotency add column if not exists completed_at timestamptz`,
  `alter table ct_idempotency add column if not exists response text`,
  `alter table ct_idempotency alter column status drop not null`,
  `alter table ct_idempotency alter column body drop not null`,
];
