import { Client } from 'pg';

/** The PostgreSQL the benchmarks use: BENCH_DATABASE_URL, or the local server (trust auth). */
export function benchDatabaseUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  );
}

/** Runs statements on a short-lived connection of its own (DDL, bookkeeping). */
export async function adminQuery<R extends Record<string, unknown> = Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
  url = benchDatabaseUrl(),
): Promise<R[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not a safe identifier: ${name}`);
  return name;
}

export async function createSchema(schema: string): Promise<void> {
  await adminQuery(`create schema ${ident(schema)}`);
}

export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`drop schema if exists ${ident(schema)} cascade`);
}

/** A connection string whose sessions use `schema` first (the service reads DATABASE_URL this way). */
export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createDatabase(name: string): Promise<void> {
  await adminQuery(`create database ${ident(name)}`);
}

/** `force` ends the connections still open to it (never from a process that holds some). */
export async function dropDatabase(name: string, options: { force?: boolean } = { force: true }): Promise<void> {
  await adminQuery(`drop database if exists ${ident(name)}${options.force ? ' with (force)' : ''}`);
}

/** Drops every schema and database whose name starts with `prefix` (the run's safety net). */
export async function dropEverythingPrefixed(prefix: string): Promise<string[]> {
  const like = `${ident(prefix)}%`;
  const schemas = await adminQuery<{ name: string }>('select nspname as name from pg_namespace where nspname like $1', [
    like,
  ]);
  const databases = await adminQuery<{ name: string }>(
    'select datname as name from pg_database where datname like $1',
    [like],
  );
  for (const { name } of schemas) await dropSchema(name);
  for (const { name } of databases) await dropDatabase(name);
  return [...schemas, ...databases].map((r) => r.name);
}

export async function postgresInfo(): Promise<Record<string, string>> {
  const rows = await adminQuery<{ name: string; setting: string }>(
    `select name, setting || coalesce(unit, '') as setting from pg_settings
      where name in ('server_version', 'shared_buffers', 'synchronous_commit', 'fsync', 'max_connections', 'wal_level')`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
}
