import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SLA_POLICY } from '../../libs/domain/sla/policy';
import { policyFingerprint } from '../../libs/domain/sla/policy-fingerprint';
import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';
import { MAIN_JS, spawnService } from '../support/service-process';
import { testDatabaseUrl } from '../support/test-database';
import { deleteRedisKeys, withSearchPath, writeTestApiKeys } from '../support/test-service';

/**
 * The built service, as a real process: a policy version already recorded with other content
 * stops start-up with one line naming both hashes, and the first policy still starts.
 */
describe('start-up refuses a reused SLA policy version with new content', () => {
  const schema = `ct_test_polv_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const redisPrefix = `ct-test-polv-${randomUUID().slice(0, 8)}`;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'casetrail-polv-'));
    const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
    await admin.exec(`create schema ${schema}`);
    await admin.close();
    env = {
      DATA_DIR: dir,
      EVENT_STORE: 'postgres',
      DATABASE_URL: withSearchPath(testDatabaseUrl(), schema),
      REDIS_PREFIX: redisPrefix,
      API_KEYS_FILE: writeTestApiKeys(dir),
    };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await deleteRedisKeys('redis://127.0.0.1:6379', redisPrefix);
    const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
    await admin.exec(`drop schema if exists ${schema} cascade`);
    await admin.close();
  });

  it('records acme-1, then refuses acme-1 with a changed target, then starts again with the original', async () => {
    const original = { ...DEFAULT_SLA_POLICY, version: 'acme-1' };
    const changed = {
      ...original,
      severities: { ...original.severities, C: { ...original.severities.C, initialResponse: 'PT8H' } },
    };
    const first = join(dir, 'sla-1.json');
    const second = join(dir, 'sla-1-changed.json');
    writeFileSync(first, JSON.stringify(original, null, 2));
    writeFileSync(second, JSON.stringify(changed, null, 2));

    const service = await spawnService({ ...env, SLA_POLICY_FILE: first }, [], 60_000);
    await service.stop();

    const refused = spawnSync(process.execPath, [MAIN_JS], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', PORT: '0', ...env, SLA_POLICY_FILE: second },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const stderr = refused.stderr.trim();
    expect(refused.status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toBe(
      `casetrail: SLA policy version acme-1 is already recorded with hash ${policyFingerprint(original)}; ${second} has hash ${policyFingerprint(changed)}: give the new policy a new version`,
    );

    // The same content in another layout is the same policy: it starts.
    writeFileSync(first, JSON.stringify(original));
    const again = await spawnService({ ...env, SLA_POLICY_FILE: first }, [], 60_000);
    await again.stop();
  });
});
