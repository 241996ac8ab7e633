import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawnService } from '../support/service-process';
import { TEST_KEYS, writeTestApiKeys, deleteRedisKeys } from '../support/test-service';

describe('the embedded store keeps acknowledged writes across a kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-crash-'));
  const prefix = `ct-test-crash-${randomUUID().slice(0, 8)}`;
  const env = { DATA_DIR: dataDir, API_KEYS_FILE: writeTestApiKeys(dataDir), REDIS_PREFIX: prefix };
  afterAll(async () => {
    await deleteRedisKeys('redis://127.0.0.1:6379', prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /health on a fresh DATA_DIR, and an acknowledged event survives SIGKILL and restart', async () => {
    const first = await spawnService(env);
    const health = await fetch(`${first.url}/health`);
    expect(health.status).toBe(200);
    const written = await fetch(`${first.url}/v1/engineers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEYS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ engineerId: 'e-durable', name: 'Dora', email: 'dora@example.com', timeZone: 'UTC' }),
    });
    expect(written.status).toBe(201);
    await first.kill9();

    const second = await spawnService(env);
    try {
      // The write is a fact in the event store: registering again is refused as a duplicate.
      const again = await fetch(`${second.url}/v1/engineers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_KEYS.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ engineerId: 'e-durable', name: 'Dora', email: 'dora@example.com', timeZone: 'UTC' }),
      });
      expect(again.status).toBe(409);
      const { position } = (await written.json()) as { position: string };
      const list = await fetch(`${second.url}/v1/engineers?consistentWith=${position}`, {
        headers: { authorization: `Bearer ${TEST_KEYS.admin}` },
      });
      expect(((await list.json()) as { items: Array<{ engineerId: string }> }).items.map((e) => e.engineerId)).toEqual([
        'e-durable',
      ]);
    } finally {
      await second.stop();
    }
  }, 180_000);
});
