/**
 * What a suite reports: one metric per (row, size). main.ts groups them into table rows with one
 * column per size, checks the goals and writes BENCHMARKS.md.
 */
export interface Goal {
  readonly op: '>=' | '<=';
  readonly target: number;
  /** As printed, e.g. "≥ 2,000/s". */
  readonly text: string;
}

export interface Metric {
  /** Suite number and name, e.g. "1. Commands (HTTP)". */
  readonly suite: string;
  /** Stable row key, e.g. "commands.postgres.rate". */
  readonly key: string;
  /** Row label as printed. */
  readonly label: string;
  readonly unit: string;
  /** Column label: "10k", "100k", "1M", or a quick-run size. */
  readonly size: string;
  readonly value: number | null;
  readonly goal?: Goal;
  /** Printed under the table (e.g. "capped at 20 s"). */
  readonly note?: string;
}

export function goalMet(goal: Goal, value: number | null): boolean | null {
  if (value === null || Number.isNaN(value)) return null;
  return goal.op === '>=' ? value >= goal.target : value <= goal.target;
}

/** Progress lines go to stderr, so stdout keeps only the final table. */
export function log(scope: string, message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${scope}: ${message}\n`);
}
