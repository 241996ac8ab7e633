#!/usr/bin/env node
/**
 * `npm run cli -- <command>`: runs the built CLI (dist/apps/cli/main.js) at once. It builds first
 * (`npm run build`, ~30 s) only when there is no build yet, or when a source file under apps/ or
 * libs/ is newer than it, so the CLI never runs code older than the sources; an image or a
 * checkout without sources (dist only) just runs. Plain JavaScript: it must run before any build.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const ENTRY = join(ROOT, 'dist', 'apps', 'cli', 'main.js');
const SOURCES = ['apps', 'libs'];

/** The newest modification time of the compiled sources (not tests) under `root`; 0 when there are none. */
function newestSource(root) {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
        newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const folder of SOURCES) walk(join(root, folder));
  return newest;
}

/** Why the CLI must be built before it runs, or null when the build is current. */
function buildReason(root = ROOT) {
  const entry = join(root, 'dist', 'apps', 'cli', 'main.js');
  if (!existsSync(entry)) return 'no build yet';
  return newestSource(root) > statSync(entry).mtimeMs ? 'sources changed since the last build' : null;
}

module.exports = { buildReason };

if (require.main === module) {
  const reason = buildReason();
  if (reason) {
    process.stderr.write(`casetrail: ${reason}; building first (npm run build)\n`);
    const build = spawnSync('npm', ['run', 'build', '--silent'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const run = spawnSync(process.execPath, [ENTRY, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (run.signal) process.kill(process.pid, run.signal);
  process.exit(run.status ?? 1);
}
