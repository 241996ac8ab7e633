import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-process';

const COMMANDS = ['verify', 'export', 'rebuild', 'preview', 'keygen'];
const LAUNCHER = join(__dirname, '../../scripts/run-cli.js');

describe('npm run cli -- --help: usage on stdout, exit 0; bad usage on stderr, exit 2', () => {
  it('--help and -h print every command and exit 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const run = await runCli([flag], {});
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^usage: npm run cli -- <command>/);
      for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it.each(COMMANDS)("%s --help prints that command's usage and exits 0 without running it", async (command) => {
    // No environment: a command that ran would need a store (or, keygen, print a key on stdout).
    const run = await runCli([command, '--help'], { EVENT_STORE: 'postgres' });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(new RegExp(`^usage: npm run cli -- ${command}\\b`));
    expect(run.stdout).not.toMatch(/^key /m);
    expect((await runCli([command, '-h'], {})).stdout).toBe(run.stdout);
  });

  it('keys new --help and help <command> print the command usage too', async () => {
    const keys = await runCli(['keys', 'new', '--help'], {});
    expect(keys.code).toBe(0);
    expect(keys.stdout).toMatch(/^usage: npm run cli -- keygen/);
    const help = await runCli(['help', 'export'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run cli -- export --case <id>/);
  });

  it('an unknown command, or none, exits 2 with the usage on stderr and nothing on stdout', async () => {
    for (const args of [['frobnicate'], [], ['help', 'frobnicate'], ['help', 'toString']]) {
      const run = await runCli(args, {});
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('usage: npm run cli -- <command>');
    }
  });
});

describe('scripts/run-cli.js (npm run cli): runs the build, builds only when it is missing or older than the sources', () => {
  // The launcher is a plain CommonJS script outside the TypeScript project: loaded as such.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildReason } = require(LAUNCHER) as { buildReason(root: string): string | null };
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'casetrail-cli-launcher-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const touch = (path: string, secondsAgo: number) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '');
    const at = Date.now() / 1000 - secondsAgo;
    utimesSync(path, at, at);
  };

  it('decides from the modification times of apps/ and libs/ sources (tests excluded) against the built entry', () => {
    touch(join(root, 'apps/cli/main.ts'), 100);
    expect(buildReason(root)).toBe('no build yet');
    touch(join(root, 'dist/apps/cli/main.js'), 50);
    expect(buildReason(root)).toBeNull();
    touch(join(root, 'libs/x/y.spec.ts'), 10);
    expect(buildReason(root)).toBeNull();
    touch(join(root, 'libs/x/y.ts'), 10);
    expect(buildReason(root)).toBe('sources changed since the last build');
  });

  it('passes the arguments and the exit status through', async () => {
    const run = (args: string[]) => runCli(args, {}, LAUNCHER);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run cli -- <command>/);
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});
