import { MessagePort } from 'node:worker_threads';
import { PgliteSqlClient } from './pglite-sql-client';

/** Waits for the reply to message `id` on a raw port (the PGlite thread's own protocol). */
function replyOn(
  port: MessagePort,
  id: number,
): Promise<{ id: number; rows?: unknown[]; error?: { message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (reply: { id: number }) => {
      if (reply.id !== id) return;
      port.off('message', onMessage);
      resolve(reply);
    };
    port.on('message', onMessage);
  });
}

/**
 * Other threads reach the embedded store through ports the PGlite thread serves (the background
 * thread of role `all`). Here the port stays in this thread: the protocol is the same.
 */
describe('PgliteSqlClient: connections for other threads', () => {
  let owner: PgliteSqlClient;
  beforeAll(async () => {
    owner = await PgliteSqlClient.open();
    await owner.exec('create table items (id int primary key, label text)');
  });
  afterAll(() => owner.close());

  it('an attached client reads and writes the same database as the owner', async () => {
    const attached = PgliteSqlClient.attach(owner.connect());
    await attached.query('insert into items values (1, $1)', ['from attached']);
    await owner.query('insert into items values (2, $1)', ['from owner']);
    expect(await attached.query('select id, label from items order by id')).toEqual([
      { id: 1, label: 'from attached' },
      { id: 2, label: 'from owner' },
    ]);
    // Closing it ends its port only: the owner's database stays open.
    await attached.close();
    expect(await owner.query('select count(*)::int as n from items')).toEqual([{ n: 2 }]);
    await expect(attached.query('select 1')).rejects.toThrow(/closed/);
  });

  it("one client's transaction holds the connection: the other's statement runs after its commit", async () => {
    const attached = PgliteSqlClient.attach(owner.connect());
    try {
      let seen: unknown[] | null = null;
      await attached.transaction(async (tx) => {
        await tx.query('insert into items values (3, $1)', ['in a transaction']);
        const read = owner.query<{ id: number }>('select id from items where id = 3').then((rows) => (seen = rows));
        // The owner's read waits for the commit, whatever happens meanwhile.
        await new Promise((r) => setTimeout(r, 50));
        expect(seen).toBeNull();
        void read;
      });
      await new Promise((r) => setTimeout(r, 10));
      expect(seen).toEqual([{ id: 3 }]);
      // A failing transaction of the attached client rolls back and reports its error.
      await expect(
        attached.transaction(async (tx) => {
          await tx.query('insert into items values (4, $1)', ['rolled back']);
          await tx.query('insert into items values (3, $1)', ['duplicate']);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      expect(await owner.query('select id from items where id = 4')).toEqual([]);
    } finally {
      await attached.close();
    }
  });

  it('a port that closes in the middle of a transaction (its thread died) rolls it back and frees the connection', async () => {
    const port = owner.connect();
    port.postMessage({ op: 'begin', tx: 1, id: 1 });
    expect((await replyOn(port, 1)).error).toBeUndefined();
    port.postMessage({ op: 'query', tx: 1, id: 2, sql: "insert into items values (5, 'orphan')", params: [] });
    expect((await replyOn(port, 2)).error).toBeUndefined();
    port.close();
    // Without the rollback this would wait forever behind the orphaned transaction.
    expect(await owner.query('select id from items where id = 5')).toEqual([]);
    await owner.query("insert into items values (6, 'after')");
    expect(await owner.query('select count(*)::int as n from items where id = 6')).toEqual([{ n: 1 }]);
  });

  it('only the owner can connect other threads', () => {
    const attached = PgliteSqlClient.attach(owner.connect());
    expect(() => attached.connect()).toThrow(/only the client that opened/);
    return attached.close();
  });
});
