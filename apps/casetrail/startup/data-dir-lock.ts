import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DependencyError } from '../../../libs/platform/health/dependency-error';

/**
 * The embedded store's files may be opened by one process only: a second one would corrupt them.
 * A pid file guards DATA_DIR; a pid file left by a killed process (its pid is gone) is taken over.
 * `advice`: what the refused process is told to do (the service's and a CLI command's differ).
 */
export function lockDataDir(dataDir: string, advice = 'stop it, or give this one another DATA_DIR'): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'casetrail.pid');
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new DependencyError(`The embedded store in ${dataDir} is in use by process ${pid}: ${advice}`);
    }
  } catch (error) {
    if (error instanceof DependencyError) throw error;
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
