import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PgliteSqlClient } from '../../libs/event-store/sql/pglite-sql-client';

/**
 * A fresh PGlite cluster costs an initdb (about 2 s of CPU on an idle machine, ten times that on
 * a loaded one); opening a cluster that already exists costs a fraction of it. Tests that start
 * the embedded store on an empty DATA_DIR therefore copy in an empty cluster that PGlite itself
 * made once (per PGlite version, shared by every worker and run): the service then opens it and
 * migrates it exactly as it would a cluster it had just created.
 */
const PGLITE_VERSION = ((): string => {
  // Its exports map hides package.json: find it above the module's entry point.
  const entry = require.resolve('@electric-sql/pglite');
  const root = entry.slice(0, entry.lastIndexOf('@electric-sql/pglite') + '@electric-sql/pglite'.length);
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
})();
const TEMPLATE = join(tmpdir(), `casetrail-pglite-template-${PGLITE_VERSION}`);

let creating: Promise<void> | null = null;

/** The empty cluster, made once: built beside its final place, then renamed (atomic), so a parallel worker never sees half of it. */
async function template(): Promise<string> {
  if (existsSync(join(TEMPLATE, 'PG_VERSION'))) return TEMPLATE;
  creating ??= (async () => {
    const building = `${TEMPLATE}.${randomUUID()}`;
    try {
      const client = await PgliteSqlClient.open(building);
      await client.close();
      renameSync(building, TEMPLATE);
    } catch (error) {
      // Another worker renamed its copy first: use that one.
      if (!existsSync(join(TEMPLATE, 'PG_VERSION'))) throw error;
    } finally {
      rmSync(building, { recursive: true, force: true });
      creating = null;
    }
  })();
  await creating;
  return TEMPLATE;
}

/**
 * Puts an empty PGlite cluster where the embedded store of a service with this DATA_DIR keeps its
 * files (`<dataDir>/pglite`), unless one is there already. Returns `dataDir`.
 */
export async function seedEmbeddedStore(dataDir: string): Promise<string> {
  return seedPgliteDir(join(dataDir, 'pglite')).then(() => dataDir);
}

/** Copies the empty cluster to `dir` (for PgliteSqlClient.open(dir) / createEmbeddedEventStore(dir)) unless one is there. */
export async function seedPgliteDir(dir: string): Promise<string> {
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const source = await template();
  mkdirSync(dir, { recursive: true });
  cpSync(source, dir, { recursive: true });
  return dir;
}

/**
 * A temporary folder holding an empty cluster, for a test that needs a fresh embedded database but
 * not specifically an in-memory one (an in-memory PGlite runs its own initdb every time).
 */
export async function freshPgliteDir(): Promise<{ dir: string; remove(): void }> {
  const dir = await seedPgliteDir(join(mkdtempSync(join(tmpdir(), 'casetrail-pglite-')), 'pglite'));
  return { dir, remove: () => rmSync(dirname(dir), { recursive: true, force: true }) };
}
