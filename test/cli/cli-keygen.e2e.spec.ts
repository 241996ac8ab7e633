import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-process';
import { startTestService, TestService } from '../support/test-service';

const PREVIEW = '/v1/sla/preview?severity=A&from=2026-11-14T03:00:00Z&timeZone=UTC';

describe('npm run cli -- keygen', () => {
  let dir: string;
  let service: TestService | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'casetrail-keygen-'));
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a key and a key-file entry holding only its hash, which a service accepts', async () => {
    const ops = await runCli(['keygen', '--name', 'ops-generated', '--role', 'ops'], {});
    const partner = await runCli(
      ['keys', 'new', '--name', 'portal-generated', '--role', 'partner', '--partner', 'p-contoso'],
      {},
    );
    for (const run of [ops, partner]) {
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('it is not stored anywhere');
    }
    const parse = (stdout: string) => {
      const [keyLine, hashLine, entryLine] = stdout.trimEnd().split('\n');
      return {
        key: keyLine.replace(/^key /, ''),
        keyHash: hashLine.replace(/^keyHash /, ''),
        entry: JSON.parse(entryLine),
      };
    };
    const a = parse(ops.stdout);
    const b = parse(partner.stdout);
    expect(a.entry).toEqual({ name: 'ops-generated', keyHash: a.keyHash, role: 'ops' });
    expect(b.entry).toEqual({ name: 'portal-generated', keyHash: b.keyHash, role: 'partner', partnerId: 'p-contoso' });

    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify([a.entry, b.entry], null, 2));
    expect(readFileSync(file, 'utf8')).not.toContain(a.key);
    service = await startTestService({ env: { API_KEYS_FILE: file } });
    const as = (key: string) => ({ key: null, headers: { authorization: `Bearer ${key}` } });
    expect((await service.request('GET', PREVIEW, as(a.key))).status).toBe(200);
    expect((await service.request('GET', '/v1/cases', as(b.key))).status).toBe(200); // a partner reads its cases
    expect((await service.request('GET', '/v1/engineers', as(a.key))).status).toBe(403); // the ops role
    expect((await service.request('GET', PREVIEW, as(a.keyHash))).status).toBe(401);
  }, 90_000);

  it('refuses bad options with the usage (exit 2)', async () => {
    const run = await runCli(['keygen', '--role', 'boss', '--name', 'x'], {});
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('casetrail keygen: --role must be one of');
    expect(run.stderr).toContain('usage: npm run cli -- <command>');
    expect((await runCli(['keys', 'old'], {})).code).toBe(2);
  });
});
