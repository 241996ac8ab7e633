import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { DependencyUnavailableError } from '../../platform/health/dependency-unavailable';
import { PgliteSqlClient } from './pglite-sql-client';
import { seedPgliteDir } from '../../../test/support/pglite-template';

/** Ends the owner's PGlite thread as a crash of that thread would (its 'exit' event, no close). */
const killThread = (client: PgliteSqlClient) => (client as unknown as { worker: Worker }).worker.terminate();

async function eventually<T>(probe: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('PgliteSqlClient: its thread dies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-pglite-recovery-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on files: statements answer "unavailable" meanwhile, the thread starts again on the same files, nothing committed is lost', async () => {
    const restarts: Error[] = [];
    const unrecoverable: Error[] = [];
    // An empty cluster prepared beforehand (what is tested is the restart on existing files).
    const owner = await PgliteSqlClient.open(await seedPgliteDir(join(dir, 'pglite')), {
      onRestart: (e) => restarts.push(e),
      onUnrecoverable: (e) => unrecoverable.push(e),
    });
    try {
      await owner.exec('create table items (id int primary key)');
      await owner.query('insert into items values (1), (2)');
      const attached = PgliteSqlClient.attach(owner.connect());
      expect(await attached.query('select count(*)::int as n from items')).toEqual([{ n: 2 }]);

      await killThread(owner);
      await expect(owner.query('select 1')).rejects.toBeInstanceOf(DependencyUnavailableError);
      // Another thread's connection went with it: it must connect again.
      await eventually(
        () => expect(attached.query('select 1')).rejects.toBeInstanceOf(DependencyUnavailableError),
        10_000,
      );

      expect(await eventually(() => owner.query('select id from items order by id'))).toEqual([{ id: 1 }, { id: 2 }]);
      expect(restarts).toHaveLength(1);
      expect(unrecoverable).toEqual([]);
      await owner.query('insert into items values (3)');
      const again = PgliteSqlClient.attach(owner.connect());
      expect(await again.query('select count(*)::int as n from items')).toEqual([{ n: 3 }]);
      await again.close();
      await attached.close();
    } finally {
      await owner.close();
    }
  }, 120_000);

  it('in memory: it cannot come back, and says so (onUnrecoverable)', async () => {
    const unrecoverable: Error[] = [];
    const owner = await PgliteSqlClient.open(undefined, { onUnrecoverable: (e) => unrecoverable.push(e) });
    await killThread(owner);
    await expect(owner.query('select 1')).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(unrecoverable).toHaveLength(1);
    await owner.close();
  });
});
