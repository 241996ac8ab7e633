import { csvLine, CsvValue } from '../csv';
import { SlaReport, SlaReportRow } from './sla-report.query';

/**
 * The report's columns, once: the CSV header and value, the CLI table's header and text. A column
 * added here appears in both formats.
 */
const COLUMNS: ReadonlyArray<{
  csv: string;
  table: string;
  value: (r: SlaReportRow) => CsvValue;
  text?: (r: SlaReportRow) => string;
}> = [
  { csv: 'group', table: 'group', value: (r) => r.group, text: (r) => String(r.group ?? '(none)') },
  { csv: 'cases', table: 'cases', value: (r) => r.cases },
  { csv: 'clocks', table: 'clocks', value: (r) => r.clocks },
  { csv: 'met', table: 'met', value: (r) => r.met },
  { csv: 'breached', table: 'breached', value: (r) => r.breached },
  { csv: 'stopped', table: 'stopped', value: (r) => r.stopped },
  { csv: 'open', table: 'open', value: (r) => r.open },
  { csv: 'onTimePct', table: 'on time %', value: (r) => r.onTimePct, text: (r) => String(r.onTimePct ?? '-') },
  { csv: 'pausedMs', table: '', value: (r) => r.pausedMs },
  ...timing('firstResponse', 'first resp.', (r) => r.firstResponseMs),
  ...timing('betweenUpdates', 'between upd.', (r) => r.betweenUpdatesMs),
  ...timing('resolution', 'resolution', (r) => r.resolutionMs),
  { csv: 'escalations', table: 'escalations', value: (r) => r.escalations },
];

/** A duration's median and p90 columns. */
function timing(csv: string, table: string, of: (r: SlaReportRow) => { median: number | null; p90: number | null }) {
  return [
    {
      csv: `${csv}MedianMs`,
      table: `${table} median`,
      value: (r: SlaReportRow) => of(r).median,
      text: (r: SlaReportRow) => duration(of(r).median),
    },
    {
      csv: `${csv}P90Ms`,
      table: 'p90',
      value: (r: SlaReportRow) => of(r).p90,
      text: (r: SlaReportRow) => duration(of(r).p90),
    },
  ];
}

/** The CLI table leaves out paused time (the CSV carries it). */
const TABLE_COLUMNS = COLUMNS.filter((c) => c.table !== '');

/** The report as CSV: a header, one line per group, then the totals (group "all"). */
export function slaReportCsv(report: SlaReport): string {
  const line = (r: SlaReportRow) => csvLine(COLUMNS.map((c) => c.value(r)));
  return csvLine(COLUMNS.map((c) => c.csv)) + report.groups.map(line).join('') + line(report.totals);
}

/** The report as a plain-text table (the CLI's default). */
export function slaReportTable(report: SlaReport): string {
  const line = (r: SlaReportRow) => TABLE_COLUMNS.map((c) => (c.text ? c.text(r) : String(c.value(r))));
  return table([TABLE_COLUMNS.map((c) => c.table), ...report.groups.map(line), line(report.totals)]);
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
