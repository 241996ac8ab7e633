import { ApiClient, ApiError, query } from '../../api/client';
import type { Alert, CaseListItem, Severity } from '../../api/types';

export const SEVERITIES: Severity[] = ['A', 'B', 'C'];

/** Per week (Monday 00:00 UTC) and severity: on time and breached (clocks from the report, cases from the fallback). */
export interface WeekRow {
  week: string;
  from: string;
  to: string;
  bySeverity: Record<Severity, { onTime: number; breached: number }>;
}

export interface Compliance {
  weeks: WeekRow[];
  source: 'report' | 'case-list';
  note: string;
}

/** The last `count` weeks, oldest first, the current one included. */
export function lastWeeks(count: number, now = Date.now()): { week: string; from: string; to: string }[] {
  const today = new Date(now);
  const monday =
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) -
    ((today.getUTCDay() + 6) % 7) * 86_400_000;
  return Array.from({ length: count }, (_, i) => {
    const from = monday - (count - 1 - i) * 7 * 86_400_000;
    return {
      week: new Date(from).toISOString().slice(0, 10),
      from: new Date(from).toISOString(),
      to: new Date(from + 7 * 86_400_000).toISOString(),
    };
  });
}

const empty = (): WeekRow['bySeverity'] => ({
  A: { onTime: 0, breached: 0 },
  B: { onTime: 0, breached: 0 },
  C: { onTime: 0, breached: 0 },
});

/**
 * From GET /v1/reports/sla (one call per week, grouped by severity) when the service has it;
 * otherwise from the case list and the breach alerts.
 */
export async function loadCompliance(client: ApiClient, weeks = lastWeeks(8)): Promise<Compliance> {
  const fromReport = await fromReports(client, weeks);
  if (fromReport) return fromReport;
  return fromCaseList(client, weeks);
}

async function fromReports(client: ApiClient, weeks: ReturnType<typeof lastWeeks>): Promise<Compliance | null> {
  const rows: WeekRow[] = [];
  for (const week of weeks) {
    let body: unknown;
    try {
      body = await client.get(`/v1/reports/sla${query({ from: week.from, to: week.to, groupBy: 'severity' })}`);
    } catch (error) {
      // Not there (yet), or not for this key: count from the case list instead.
      if (error instanceof ApiError && [400, 403, 404, 405, 501].includes(error.status)) return null;
      throw error;
    }
    const groups = readGroups(body);
    if (!groups) return null;
    const bySeverity = empty();
    for (const group of groups) {
      const key = String(group.key ?? group.group ?? group.severity ?? group.value ?? '') as Severity;
      if (!SEVERITIES.includes(key)) continue;
      // On time: answered before due, or the case resolved before due (the report's onTimePct).
      const met = num(group.met);
      const stopped = num(group.stopped ?? 0);
      const breached = num(group.breached);
      if (met === null || stopped === null || breached === null) return null;
      bySeverity[key] = { onTime: met + stopped, breached };
    }
    rows.push({ ...week, bySeverity });
  }
  return {
    weeks: rows,
    source: 'report',
    note: 'From the SLA report (GET /v1/reports/sla, grouped by severity, one range a week): clocks on time (met, or the case resolved before due) and breached, by the week their case was submitted.',
  };
}

function readGroups(body: unknown): Record<string, unknown>[] | null {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  if (body && typeof body === 'object') {
    for (const field of ['groups', 'items', 'rows']) {
      const value = (body as Record<string, unknown>)[field];
      if (Array.isArray(value)) return value as Record<string, unknown>[];
    }
  }
  return null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** At most this many cases are read for the fallback (5 pages). */
const MAX_CASES = 1000;

/**
 * Until the report exists: a case counts in the week it was submitted, breached if a breach
 * alert names it (or, for a key that may not read alerts, if its list entry says breached now),
 * on time otherwise. An approximation, and the page says so.
 */
async function fromCaseList(client: ApiClient, weeks: ReturnType<typeof lastWeeks>): Promise<Compliance> {
  const cases: CaseListItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: CaseListItem[]; nextCursor: string | null } = await client.get(
      `/v1/cases${query({ limit: 200, cursor })}`,
    );
    cases.push(...page.items);
    cursor = page.nextCursor;
  } while (
    cursor &&
    cases.length < MAX_CASES &&
    Date.parse(cases[cases.length - 1].submittedAt) >= Date.parse(weeks[0].from)
  );
  const breachAlerts = await client.tryGet<{ items: Alert[] }>(
    `/v1/alerts${query({ kind: 'breach', since: weeks[0].from, limit: 500 })}`,
  );
  const breachedCases = new Set(
    breachAlerts
      ? breachAlerts.items.map((a) => a.caseId)
      : cases.filter((c) => c.sla === 'breached').map((c) => c.caseId),
  );
  const rows: WeekRow[] = weeks.map((week) => ({ ...week, bySeverity: empty() }));
  for (const item of cases) {
    if (!item.severity) continue;
    const row = rows.find((w) => item.submittedAt >= w.from && item.submittedAt < w.to);
    if (!row) continue;
    if (breachedCases.has(item.caseId)) row.bySeverity[item.severity].breached++;
    else row.bySeverity[item.severity].onTime++;
  }
  return {
    weeks: rows,
    source: 'case-list',
    note: `The SLA report is not available from this service yet: counted from the case list (${cases.length} ${cases.length === 1 ? 'case' : 'cases'}) and ${
      breachAlerts ? 'the breach alerts' : 'the cases breached now'
    }, per case and week of submission.`,
  };
}

export function onTimePercent(cell: { onTime: number; breached: number }): number | null {
  const total = cell.onTime + cell.breached;
  return total ? Math.round((cell.onTime / total) * 1000) / 10 : null;
}
