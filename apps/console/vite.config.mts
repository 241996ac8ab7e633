import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The ops console: built into dist/console by `npm run build` and served by the service under
 * /console (libs/platform/console). Everything it loads is in that folder (no CDN, no font
 * service): the service's Content-Security-Policy for /console allows only its own origin.
 */
const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(here, '../../dist/console'),
    emptyOutDir: true,
    // No inline script: the CSP has no 'unsafe-inline' for scripts.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
});
