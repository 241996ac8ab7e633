import { csvLine } from '../csv';
import { SlaReport, SlaReportRow } from './sla-report.query';

const COLUMNS = [
  'group',
  'cases',
  'clocks',
  'met',
  'breached',
  'stopped',
  'open',
  'onTimePct',
  'pausedMs',
  'firstResponseMedianMs',
  'firstResponseP90Ms',
  'betweenUpdatesMedianMs',
  'betweenUpdatesP90Ms',
  'resolutionMedianMs',
  'resolutionP90Ms',
  'escalations',
] as const;

const values = (r: SlaReportRow) => [
  r.group,
  r.cases,
  r.clocks,
  r.met,
  r.breached,
  r.stopped,
  r.open,
  r.onTimePct,
  r.pausedMs,
  r.firstResponseMs.median,
  r.firstResponseMs.p90,
  r.betweenUpdatesMs.median,
  r.betweenUpdatesMs.p90,
  r.resolutionMs.median,
  r.resolutionMs.p90,
  r.escalations,
];

/** The report as CSV: a header, one line per group, then the totals (group "all"). */
export function slaReportCsv(report: SlaReport): string {
  return csvLine(COLUMNS) + report.groups.map((g) => csvLine(values(g))).join('') + csvLine(values(report.totals));
}

/** The report as a plain-text table (the CLI's default). */
export function slaReportTable(report: SlaReport): string {
  const header = [
    'group',
    'cases',
    'clocks',
    'met',
    'breached',
    'stopped',
    'open',
    'on time %',
    'first resp. median',
    'p90',
    'between upd. median',
    'p90',
    'resolution median',
    'p90',
    'escalations',
  ];
  const line = (r: SlaReportRow) =>
    [
      String(r.group ?? '(none)'),
      r.cases,
      r.clocks,
      r.met,
      r.breached,
      r.stopped,
      r.open,
      r.onTimePct ?? '-',
      duration(r.firstResponseMs.median),
      duration(r.firstResponseMs.p90),
      duration(r.betweenUpdatesMs.median),
      duration(r.betweenUpdatesMs.p90),
      duration(r.resolutionMs.median),
      duration(r.resolutionMs.p90),
      r.escalations,
    ].map(String);
  return table([header, ...report.groups.map(line), line(report.totals)]);
}

/** Milliseconds as "3h25m", "2d4h", "45m" ("-" for none). */
export function duration(ms: number | null): string {
  if (ms === null) return '-';
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return d > 0 ? `${d}d${h}h` : h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m`;
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return (
    rows
      .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '))
      .join('\n') + '\n'
  );
}
