import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '../../apps/casetrail/bootstrap';
import { loadConfig } from '../../libs/platform/config/app-config';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { deleteRedisKeys } from '../support/test-service';
import { seedEmbeddedStore } from '../support/pglite-template';

const PREVIEW = '/v1/sla/preview?severity=A&from=2026-11-14T03:00:00Z&timeZone=UTC';

describe('dev mode (no API_KEYS_FILE): keys printed once, only their hashes on disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-dev-keys-'));
  const prefix = `ct-test-dev-${randomUUID().slice(0, 8)}`;
  // The store's empty cluster is prepared (the keys, what this file is about, are not).
  beforeAll(() => seedEmbeddedStore(dataDir));
  afterAll(async () => {
    await deleteRedisKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start() {
    const lines: string[] = [];
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' }, []);
    const service = await startService(config, { logger: new JsonLogger('warn', (line) => lines.push(line)) });
    const printed = lines.map((l) => JSON.parse(l)).find((l) => /dev mode: API keys generated/.test(l.msg));
    return { service, printed };
  }

  it('prints the generated keys at the first start only; they authenticate across restarts', async () => {
    const first = await start();
    let opsKey: string;
    try {
      expect(first.printed).toBeDefined();
      const ops = first.printed.keys.find((k: { role: string }) => k.role === 'ops');
      opsKey = ops.key;
      const file = readFileSync(join(dataDir, 'api-keys.json'), 'utf8');
      for (const { key } of first.printed.keys) expect(file).not.toContain(key);
      expect(file).toContain('"keyHash": "sha256:');
      const response = await fetch(first.service.url + PREVIEW, { headers: { authorization: `Bearer ${opsKey}` } });
      expect(response.status).toBe(200);
    } finally {
      await first.service.close();
    }
    const second = await start();
    try {
      expect(second.printed).toBeUndefined();
      expect(
        (await fetch(second.service.url + PREVIEW, { headers: { authorization: `Bearer ${opsKey}` } })).status,
      ).toBe(200);
    } finally {
      await second.service.close();
    }
  }, 150_000);
});
