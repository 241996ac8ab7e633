import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { SqlClient } from '../../event-store/sql/sql-client';
import { READ_MODEL_SQL } from '../tokens';

export interface StoredResponse {
  readonly requestHash: string;
  readonly status: number;
  readonly body: unknown;
  readonly etag: string | null;
}

/**
 * First answers to requests that carried an Idempotency-Key, kept in the database (not in memory),
 * so a client retrying after a restart of the service still gets the first answer.
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit {
  constructor(@Inject(READ_MODEL_SQL) private readonly sql: SqlClient) {}

  async onModuleInit(): Promise<void> {
    await this.sql.exec(`
      create table if not exists ct_idempotency (
        principal text not null,
        key text not null,
        request_hash text not null,
        status int not null,
        body jsonb not null,
        etag text,
        created_at timestamptz not null default now(),
        primary key (principal, key)
      )`);
  }

  async find(principal: string, key: string): Promise<StoredResponse | null> {
    const rows = await this.sql.query<{ request_hash: string; status: number; body: unknown; etag: string | null }>(
      'select request_hash, status, body, etag from ct_idempotency where principal = $1 and key = $2',
      [principal, key],
    );
    const row = rows[0];
    return row ? { requestHash: row.request_hash, status: row.status, body: row.body, etag: row.etag } : null;
  }

  /** Keeps the first answer; a concurrent duplicate keeps the one stored first. */
  async save(principal: string, key: string, response: StoredResponse): Promise<void> {
    await this.sql.query(
      `insert into ct_idempotency (principal, key, request_hash, status, body, etag)
       values ($1, $2, $3, $4, $5::jsonb, $6) on conflict do nothing`,
      [principal, key, response.requestHash, response.status, JSON.stringify(response.body ?? null), response.etag],
    );
  }
}
