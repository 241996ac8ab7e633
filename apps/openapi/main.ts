import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startService } from '../casetrail/bootstrap';
import { loadConfig } from '../../libs/platform/config/app-config';
import { buildOpenApiDocument } from '../../libs/platform/openapi/openapi-document';

/**
 * `npm run openapi [-- FILE]`: writes the OpenAPI document (default ./openapi.json). The routes are
 * the running service's: the API is built as it starts (on an embedded store in a
 * temporary DATA_DIR, no HTTP server, no background work), so Redis must be reachable (REDIS_URL).
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'openapi.json');
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-openapi-'));
  try {
    const config = loadConfig(
      {
        ...process.env,
        ROLE: 'all',
        BACKGROUND_THREAD: 'off',
        API_KEYS_FILE: '',
        EVENT_STORE: 'embedded',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
        REDIS_PREFIX: `ct-openapi-${process.pid}`,
      },
      [],
    );
    const service = await startService(config, { listen: false });
    try {
      writeFileSync(out, JSON.stringify(buildOpenApiDocument(service.app), null, 2) + '\n');
    } finally {
      await service.close();
    }
    process.stdout.write(`OpenAPI document written to ${out}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(JSON.stringify({ level: 'fatal', msg: 'npm run openapi failed', error: error.message }) + '\n');
  process.exit(1);
});
