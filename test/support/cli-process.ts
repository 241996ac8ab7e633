import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { track } from './child-processes';

/** The built CLI (`npm test` compiles the project to dist/ before jest runs). */
export const CLI_JS = join(__dirname, '../../dist/apps/cli/main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run cli -- <args>` as a real process with only PATH and `env` in its environment;
 * `script`: another entry point (e.g. the launcher) in place of the built CLI.
 */
export function runCli(args: string[], env: Record<string, string>, script = CLI_JS): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, [script, ...args], {
        env: { PATH: process.env.PATH, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
