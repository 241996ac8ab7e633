import { spawnSync } from 'node:child_process';

/** The value of one sample in Prometheus text (0 when absent: a counter not yet incremented). */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) return Number(match[3]);
  }
  return 0;
}

/**
 * `promtool check metrics` on the text: its exit code and complaints, or null when promtool is not
 * installed here (Debian: `apt-get install prometheus`).
 */
export function promtoolCheck(text: string): { code: number | null; output: string } | null {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}
