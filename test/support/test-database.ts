/** The PostgreSQL that integration tests use: TEST_DATABASE_URL, or the local server (trust auth). */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}
