/**
 * THE BASELINE, not the service: the practical limit of "one HTTP command = one row" on this
 * machine. A bare Fastify route that parses the same JSON body the service gets, checks that the
 * Authorization header is there, does one parameterised INSERT on PostgreSQL (a `pg` pool of the
 * service's default size) and answers 201 with a small JSON body. No validation, no event store,
 * no read before the write, no projections: what is left is Node's HTTP, JSON and one round trip
 * to PostgreSQL. The commands suite runs it in its own process, alternating with the service,
 * under the same load generator (issue 18).
 *
 * Started with `fork()`: DATABASE_URL (with the schema in its search_path) in the environment;
 * sends `{ port }` to its parent once it listens, and stops on SIGTERM.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await pool.query(
    `create table if not exists bare_updates (
       id bigserial primary key, case_id text not null, channel text not null, summary text not null,
       recorded_at timestamptz not null default now())`,
  );
  const app = Fastify({ logger: false });
  app.post<{ Params: { caseId: string }; Body: { channel?: string; summary?: string } }>(
    '/v1/cases/:caseId/updates',
    async (request, reply) => {
      if (!request.headers.authorization) return reply.code(401).send({ title: 'Unauthorized' });
      const { channel, summary } = request.body ?? {};
      const { rows } = await pool.query<{ id: string }>(
        'insert into bare_updates (case_id, channel, summary) values ($1, $2, $3) returning id',
        [request.params.caseId, channel ?? 'portal', summary ?? ''],
      );
      return reply.code(201).send({ caseId: request.params.caseId, id: rows[0].id });
    },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  const stop = () => void app.close().then(() => pool.end().then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  // The benchmark that started it was killed (no SIGTERM came): do not stay behind, using a core.
  process.once('disconnect', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
