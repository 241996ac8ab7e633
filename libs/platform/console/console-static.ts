import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { JsonLogger } from '../logging/json-logger';

/** Where the console's URL lives; its Content-Security-Policy is set in http-adapter.ts. */
export const CONSOLE_PREFIX = '/console/';

/**
 * The built console (`npm run build:console`, apps/console): `dist/console` of the project, found
 * from this file both when compiled (dist/libs/platform/console) and when run from the sources
 * by the tests (libs/platform/console).
 */
export function consoleDirectory(): string | null {
  for (const candidate of [resolve(__dirname, '../../../console'), resolve(__dirname, '../../../dist/console')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

/**
 * Serves the ops console's static files at /console (no key needed: the page holds no data; every
 * read it makes carries the user's API key). Hashed assets are cached for good, the page itself
 * never, so a new build is picked up at the next load. Without a build, /console stays a 404 and
 * start-up says why.
 */
export function registerConsole(app: NestFastifyApplication, logger: JsonLogger): void {
  const root = consoleDirectory();
  if (!root) {
    logger.event('warn', 'the console is not built: /console answers 404 (run `npm run build`)', {}, 'Startup');
    return;
  }
  app.useStaticAssets({
    root,
    prefix: CONSOLE_PREFIX,
    // Only the page's own files; no directory listing, no dot files.
    index: ['index.html'],
    list: false,
    dotfiles: 'deny',
    redirect: false,
    setHeaders: (response: { setHeader(name: string, value: string): void }, path: string) => {
      response.setHeader('cache-control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  } as Parameters<NestFastifyApplication['useStaticAssets']>[0]);
}
