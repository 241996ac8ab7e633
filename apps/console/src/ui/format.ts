/** Instants are shown in UTC, as the service states them, so that two people compare the same text. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `1d 2h 03m`, `4m 05s`, `12s`: the larger units only, for a countdown read at a glance. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days) return `${days}d ${hours}h ${pad(minutes)}m`;
  if (hours) return `${hours}h ${pad(minutes)}m ${pad(seconds)}s`;
  if (minutes) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

/** What is left before `dueAt` at `now`, or how long it is overdue. */
export function timeLeft(dueAt: string | null | undefined, now: number): { text: string; overdue: boolean } | null {
  if (!dueAt) return null;
  const left = Date.parse(dueAt) - now;
  return left >= 0
    ? { text: `${formatDuration(left)} left`, overdue: false }
    : { text: `overdue ${formatDuration(left)}`, overdue: true };
}

/** `SlaBreached` -> `SLA breached`. */
export function eventLabel(type: string): string {
  return type
    .replace(/^Sla/, 'SLA ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/ ([A-Z])([a-z])/g, (_m, a: string, b: string) => ` ${a.toLowerCase()}${b}`);
}
