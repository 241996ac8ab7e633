import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { postgresInfo } from './pg';
import { redisInfo } from './redis';

export interface MachineInfo {
  readonly date: string;
  readonly commit: string;
  /** Tracked files changed in the working tree, not committed yet. */
  readonly uncommitted: string[];
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly postgres: Record<string, string>;
  readonly redis: Record<string, string>;
  /** 1-minute load average when the run started (other work on the machine skews results). */
  readonly loadAverage: number;
}

/** Read-only: `git rev-parse HEAD` (never anything that changes the repository's state). */
export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Files that differ from HEAD (read-only `git diff --name-only HEAD`; untracked files not listed). */
export function gitChanges(): string[] {
  try {
    return execFileSync('git', ['diff', '--name-only', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    commit: gitCommit(),
    uncommitted: gitChanges(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: await postgresInfo().catch((error: Error) => ({ error: error.message })),
    redis: await redisInfo().catch((error: Error) => ({ error: error.message })),
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
  };
}
