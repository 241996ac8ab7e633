import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
// Its types add reply.sendFile() (the plugin is registered by useStaticAssets()).
import type {} from '@fastify/static';
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
    // The page is answered by the routes below; no directory listing.
    index: false,
    list: false,
    setHeaders: (
      reply: { setHeader?(n: string, v: string): void; header?(n: string, v: string): void },
      path: string,
    ) => setCacheControl(reply, /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  // `/console` and `/console/` are the page (the router ignores a trailing slash).
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/console', (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', root);
  });
}

function setCacheControl(
  reply: { setHeader?(n: string, v: string): void; header?(n: string, v: string): void },
  value: string,
): void {
  if (reply.header) reply.header('cache-control', value);
  else reply.setHeader?.('cache-control', value);
}
