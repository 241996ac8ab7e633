import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs the `chromium` package when it is missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ROOT = join(__dirname, '..', '..');

/** Headless Chromium, driven by playwright-core; no network but what the page asks of the service. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Builds the console (`npm run build:console`) unless dist/console is newer than every source
 * file: `npm test` type-checks but does not run `npm run build`, and the service serves the build.
 * Test files running in parallel build it once: a lock file, and the others wait for a fresh build.
 */
export function ensureConsoleBuilt(): void {
  if (consoleBuildIsFresh()) return;
  const lock = join(ROOT, 'dist', '.console-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (consoleBuildIsFresh()) return;
      // A lock older than the deadline was left by a process that died: take it over.
      if (Date.now() > deadline) {
        rmSync(lock, { force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!consoleBuildIsFresh())
      execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  } finally {
    rmSync(lock, { force: true });
  }
}

function consoleBuildIsFresh(): boolean {
  const built = join(ROOT, 'dist', 'console', 'index.html');
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  return existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, 'apps', 'console'));
}
