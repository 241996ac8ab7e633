import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MachineInfo } from './machine';
import { Goal, goalMet, Metric } from './metrics';
import { fmt } from './stats';

export interface RunReport {
  readonly mode: 'quick' | 'full';
  readonly machine: MachineInfo;
  readonly sizes: string[];
  readonly metrics: Metric[];
  /** Suites that failed or were skipped, with the reason. */
  readonly problems: string[];
  readonly seconds: number;
  readonly command: string;
}

interface Row {
  suite: string;
  key: string;
  label: string;
  unit: string;
  values: Map<string, number | null>;
  goal?: Goal;
  notes: Set<string>;
}

const VARIANT_ORDER = ['ours', 'emmett', 'raw', 'vs-emmett', 'vs-raw'];

/** Metrics grouped into rows (one per key) with one value per size column. */
export function rows(metrics: Metric[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const m of metrics) {
    let row = byKey.get(m.key);
    if (!row) {
      row = {
        suite: m.suite,
        key: m.key,
        label: m.label,
        unit: m.unit,
        values: new Map(),
        goal: m.goal,
        notes: new Set(),
      };
      byKey.set(m.key, row);
    }
    row.values.set(m.size, m.value);
    if (m.goal) row.goal = m.goal;
    if (m.note) row.notes.add(m.note);
  }
  // Keys "group|variant" (suite 2) are kept together: ours, Emmett, raw, then the ratios.
  const all = [...byKey.values()];
  const groupOf = (key: string) => key.split('|')[0];
  const firstSeen = new Map<string, number>();
  all.forEach((r, i) => {
    if (!firstSeen.has(groupOf(r.key))) firstSeen.set(groupOf(r.key), i);
  });
  const suiteOrder = (s: string) => Number(/^(\d+)/.exec(s)?.[1] ?? 99);
  return all
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const s = suiteOrder(a.r.suite) - suiteOrder(b.r.suite);
      if (s !== 0) return s;
      const g = (firstSeen.get(groupOf(a.r.key)) ?? 0) - (firstSeen.get(groupOf(b.r.key)) ?? 0);
      if (g !== 0) return g;
      const va = VARIANT_ORDER.indexOf(a.r.key.split('|')[1] ?? '');
      const vb = VARIANT_ORDER.indexOf(b.r.key.split('|')[1] ?? '');
      return va !== vb ? va - vb : a.i - b.i;
    })
    .map(({ r }) => r);
}

function cell(value: number | null | undefined, unit: string, goal?: Goal): string {
  if (value === undefined) return '';
  if (value === null) return 'n/a';
  const text =
    unit === 'x'
      ? `${fmt(value, 2)}x`
      : unit === '/s'
        ? `${fmt(value, 0)}/s`
        : unit === 'cores'
          ? `${fmt(value, 2)} cores`
          : unit
            ? `${fmt(value)} ${unit}`
            : fmt(value, 0);
  if (!goal) return text;
  const met = goalMet(goal, value);
  return met === null ? text : `${text} ${met ? '✓' : '✗'}`;
}

function status(row: Row, sizes: string[]): string {
  if (!row.goal) return '';
  const results = sizes
    .map((s) => (row.values.has(s) ? goalMet(row.goal as Goal, row.values.get(s) ?? null) : null))
    .filter((v) => v !== null);
  if (results.length === 0) return 'not measured';
  const missed = sizes.filter(
    (s) => row.values.has(s) && goalMet(row.goal as Goal, row.values.get(s) ?? null) === false,
  );
  return missed.length === 0 ? '**met**' : `**missed** (${missed.join(', ')})`;
}

/** The results as one markdown table per suite. */
export function markdownTables(report: RunReport): string {
  const out: string[] = [];
  let suite = '';
  let notes: string[] = [];
  const flushNotes = () => {
    if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
    notes = [];
  };
  for (const row of rows(report.metrics)) {
    if (row.suite !== suite) {
      flushNotes();
      suite = row.suite;
      out.push(
        '',
        `### ${suite}`,
        '',
        `| Measure | ${report.sizes.join(' | ')} | Goal | Status |`,
        `|---|${report.sizes.map(() => '---:').join('|')}|---|---|`,
      );
    }
    out.push(
      `| ${row.label} | ${report.sizes.map((s) => cell(row.values.get(s), row.unit, row.goal)).join(' | ')} | ${row.goal?.text ?? ''} | ${status(row, report.sizes)} |`,
    );
    for (const n of row.notes) if (!notes.includes(n)) notes.push(n);
  }
  flushNotes();
  return out.join('\n').trim();
}

export function machineSection(report: RunReport): string {
  const m = report.machine;
  const pg = m.postgres;
  const r = m.redis;
  return [
    `- Date: ${m.date}; git commit \`${m.commit}\`${m.uncommitted?.length ? ` plus uncommitted changes to ${m.uncommitted.map((f) => `\`${f}\``).join(', ')}` : ''}; mode: **${report.mode}** (\`${report.command}\`, ${Math.round(report.seconds)} s)`,
    `- CPU: ${m.cpuModel}, ${m.cores} cores; memory ${m.memoryGiB} GiB; ${m.os}; load average at start ${m.loadAverage}`,
    `- Node ${m.node}; PostgreSQL ${pg.server_version ?? pg.error ?? '?'} (shared_buffers ${pg.shared_buffers ?? '?'}, synchronous_commit ${pg.synchronous_commit ?? '?'}, fsync ${pg.fsync ?? '?'}, max_connections ${pg.max_connections ?? '?'})`,
    `- Redis ${r.version ?? r.error ?? '?'}: hz ${r.hz ?? '?'}, maxmemory-policy ${r['maxmemory-policy'] ?? '?'}, appendonly ${r.appendonly ?? '?'} (appendfsync ${r.appendfsync ?? '?'}), save "${r.save ?? '?'}"`,
  ].join('\n');
}

export function goalsSummary(report: RunReport): string {
  const lines: string[] = [];
  for (const row of rows(report.metrics)) {
    if (!row.goal) continue;
    lines.push(`- ${row.suite} — ${row.label}: goal ${row.goal.text} → ${status(row, report.sizes)}`);
  }
  return lines.join('\n');
}

export function reportBlock(report: RunReport): string {
  const parts = [
    machineSection(report),
    markdownTables(report),
    '#### Goals',
    goalsSummary(report) || '- (no goal measured)',
  ];
  if (report.problems.length) parts.push('#### Skipped or failed', report.problems.map((p) => `- ${p}`).join('\n'));
  return parts.join('\n\n');
}

const TEMPLATE = `# Benchmarks

Measured by \`npm run bench\` (bench/main.ts; one file per suite in bench/suites/). Rerun:

\`\`\`sh
npm run bench -- --quick      # about a minute: smallest size only, short runs
npm run bench                 # full: 10k, 100k and 1M events (roughly 15-25 minutes)
npm run bench -- --suites commands,event-store --sizes 10000,100000
\`\`\`

It needs the local PostgreSQL (\`BENCH_DATABASE_URL\`, default postgres://postgres@127.0.0.1:5432/postgres)
and Redis (\`BENCH_REDIS_URL\`, default redis://127.0.0.1:6379). Every suite works in schemas,
databases and Redis key prefixes named after the run (\`bench_<run id>_*\`, \`ct-bench_<run id>-*\`)
and drops them at the end. The generated sections below are rewritten by each run (a quick run
only rewrites its own section); everything outside them is kept.

## Full run

<!-- bench:full:start -->
(not run yet)
<!-- bench:full:end -->

## Latest quick run

<!-- bench:quick:start -->
(not run yet)
<!-- bench:quick:end -->
`;

/** Rewrites the run's section of BENCHMARKS.md (creating the file from the template if needed). */
export function writeBenchmarksFile(file: string, report: RunReport): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : TEMPLATE;
  const start = `<!-- bench:${report.mode}:start -->`;
  const end = `<!-- bench:${report.mode}:end -->`;
  const block = `${start}\n${reportBlock(report)}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) text = text.slice(0, from) + block + text.slice(to + end.length);
  else text += `\n\n## ${report.mode === 'full' ? 'Full run' : 'Latest quick run'}\n\n${block}\n`;
  writeFileSync(file, text);
}

export function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
}
