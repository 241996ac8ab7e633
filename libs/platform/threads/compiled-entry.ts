import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The project's root: this file is libs/platform/threads/compiled-entry.{ts,js}, under dist/ once compiled. */
const SOURCE_ROOT = resolve(__dirname, '../../..');
const COMPILED = __filename.endsWith('.js');
const PROJECT_ROOT = COMPILED ? resolve(SOURCE_ROOT, '..') : SOURCE_ROOT;
const OUT_DIR = COMPILED ? SOURCE_ROOT : join(PROJECT_ROOT, 'dist');

/**
 * The file a worker thread runs for one of this project's modules (`path`: its path from the
 * project's root without extension, e.g. `apps/casetrail/background-thread`). A worker thread
 * loads JavaScript: the compiled module next to this one when running compiled (`npm start`,
 * the built service), and its compiled twin in dist/ when running from the TypeScript sources
 * (jest through ts-jest; `npm test` compiles with `tsc -p tsconfig.json` before it runs jest).
 * The topology never depends on whether the file exists: a missing one is an error that says
 * how to build it.
 */
export function compiledEntry(path: string): string {
  const file = join(OUT_DIR, `${path}.js`);
  if (!existsSync(file)) {
    throw new Error(
      `${relative(PROJECT_ROOT, file)} is missing: a worker thread runs compiled code; build it with \`npx tsc -p tsconfig.json\` (npm test does), or set BACKGROUND_THREAD=off`,
    );
  }
  return file;
}
