import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN_JS, spawnService } from '../support/service-process';
import { writeTestApiKeys } from '../support/test-service';

/** Runs the built service with an environment and returns how it ended. */
function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [MAIN_JS], {
    env: { PATH: process.env.PATH, DATA_DIR: mkdtempSync(join(tmpdir(), 'casetrail-fail-')), PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status, stderr: result.stderr.trim() };
}

describe('start-up refuses a missing dependency with one line naming it', () => {
  it('Redis unreachable', () => {
    const { code, stderr } = start({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^casetrail: Redis is unreachable at redis:\/\/127\.0\.0\.1:1.*start it with `redis-server/);
  });

  it('PostgreSQL unreachable', () => {
    const { code, stderr } = start({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
    expect(code).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^casetrail: PostgreSQL is unreachable at postgres:\/\/postgres@127\.0\.0\.1:1\/x.*pg_ctlcluster/,
    );
  });

  it('invalid configuration names each variable', () => {
    const { code, stderr } = start({ EVENT_STORE: 'mongo', PORT: 'x' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^casetrail: invalid configuration: PORT must be a port number.*EVENT_STORE must be one of/);
  });

  it('a malformed API keys file names the file, the field and the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'casetrail-keys-'));
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify([{ name: 'x', key: 'short', role: 'root' }]));
    const { code, stderr } = start({ API_KEYS_FILE: file });
    expect(code).toBe(1);
    expect(stderr).toContain(
      `API keys file ${file} is invalid: [0].key must be a string of at least 16 characters; [0].role must be one of`,
    );
  });
});

describe('production mode (NODE_ENV=production) refuses generated dev keys', () => {
  it('without API_KEYS_FILE: exit 1, one line naming the variable, and no key generated', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-prod-'));
    const { code, stderr } = start({ NODE_ENV: 'production', DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^casetrail: invalid configuration: API_KEYS_FILE is required with NODE_ENV=production: generated dev keys are refused/,
    );
    expect(existsSync(join(dataDir, 'api-keys.json'))).toBe(false);
  });

  it('with API_KEYS_FILE pointing at the dev keys file a development run generated: refused too', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-prod-'));
    writeFileSync(join(dataDir, 'api-keys.json'), '[]');
    const { code, stderr } = start({
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      API_KEYS_FILE: join(dataDir, 'api-keys.json'),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^casetrail: invalid configuration: API_KEYS_FILE is required with NODE_ENV=production and must not be the generated dev keys file/,
    );
  });

  it('with an API_KEYS_FILE of its own: starts, and the keys work', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-prod-'));
    const keysDir = mkdtempSync(join(tmpdir(), 'casetrail-prod-keys-'));
    const service = await spawnService({
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      API_KEYS_FILE: writeTestApiKeys(keysDir),
    });
    try {
      expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${service.url}/v1/engineers`)).status).toBe(401);
      expect(existsSync(join(dataDir, 'api-keys.json'))).toBe(false);
    } finally {
      await service.stop();
    }
  });
});
