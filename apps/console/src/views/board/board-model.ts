import type { Alert, CaseListItem, Severity } from '../../api/types';

/** A case on the board: at risk or breached, with the due instant its countdown runs to. */
export interface BoardRow {
  caseId: string;
  reference: string;
  severity: Severity | null;
  engineerId: string | null;
  partnerId: string | null;
  product: string | null;
  summary: string | null;
  state: 'at-risk' | 'breached';
  dueAt: string | null;
  escalated: boolean;
  paused: boolean;
  /** When this browser first showed the case in its current state (ms): the latency the tests read. */
  shownAt: number;
}

export type Rows = ReadonlyMap<string, BoardRow>;

/**
 * The rows as the case list states them (read consistent with every alert seen so far), keeping
 * what this browser already knew: when each was first shown in its state, and escalation flags.
 */
export function rowsFromList(items: CaseListItem[], previous: Rows, now: number): Map<string, BoardRow> {
  const rows = new Map<string, BoardRow>();
  for (const item of items) {
    if (item.sla !== 'at-risk' && item.sla !== 'breached') continue;
    const before = previous.get(item.caseId);
    rows.set(item.caseId, {
      caseId: item.caseId,
      reference: item.reference,
      severity: item.severity,
      engineerId: item.engineerId,
      partnerId: item.partnerId,
      product: item.product,
      summary: item.summary,
      state: item.sla,
      dueAt: item.nextDueAt ?? before?.dueAt ?? null,
      escalated: before?.escalated ?? false,
      paused: false,
      shownAt: before && before.state === item.sla ? before.shownAt : now,
    });
  }
  return rows;
}

/**
 * An alert from the stream, applied at once (before the list is read again): a warning puts the
 * case at risk, a breach breaches it, an escalation or a pause marks it. Triage warnings belong
 * to the untriaged queue, not here.
 */
export function applyAlert(rows: Rows, alert: Alert, now: number): Map<string, BoardRow> {
  const next = new Map(rows);
  const before = rows.get(alert.caseId);
  const base: BoardRow = before ?? {
    caseId: alert.caseId,
    reference: alert.reference ?? alert.caseId,
    severity: alert.severity,
    engineerId: alert.engineerId,
    partnerId: null,
    product: null,
    summary: null,
    state: 'at-risk',
    dueAt: alert.dueAt,
    escalated: false,
    paused: false,
    shownAt: now,
  };
  switch (alert.kind) {
    case 'warning':
      if (alert.clock === 'triage') return next;
      if (before?.state === 'breached') return next;
      next.set(alert.caseId, {
        ...base,
        state: 'at-risk',
        dueAt: alert.dueAt ?? base.dueAt,
        severity: alert.severity ?? base.severity,
        paused: false,
        shownAt: before?.state === 'at-risk' ? base.shownAt : now,
      });
      return next;
    case 'breach':
      next.set(alert.caseId, {
        ...base,
        state: 'breached',
        dueAt: alert.dueAt ?? base.dueAt,
        severity: alert.severity ?? base.severity,
        paused: false,
        shownAt: before?.state === 'breached' ? base.shownAt : now,
      });
      return next;
    case 'escalation':
    case 'unowned':
      if (before) next.set(alert.caseId, { ...before, escalated: true });
      return next;
    case 'paused':
      if (before) next.set(alert.caseId, { ...before, paused: true });
      return next;
    case 'resumed':
      if (before) next.set(alert.caseId, { ...before, paused: false, dueAt: alert.dueAt ?? before.dueAt });
      return next;
  }
}

export interface BoardFilters {
  severity: '' | Severity;
  engineerId: string;
  partnerId: string;
  state: '' | 'at-risk' | 'breached';
  text: string;
}

export const NO_FILTERS: BoardFilters = { severity: '', engineerId: '', partnerId: '', state: '', text: '' };

export function matches(row: BoardRow, f: BoardFilters): boolean {
  if (f.severity && row.severity !== f.severity) return false;
  if (f.engineerId && (row.engineerId ?? '(unassigned)') !== f.engineerId) return false;
  if (f.partnerId && row.partnerId !== f.partnerId) return false;
  if (f.state && row.state !== f.state) return false;
  const text = f.text.trim().toLowerCase();
  if (text && !`${row.reference} ${row.summary ?? ''}`.toLowerCase().includes(text)) return false;
  return true;
}

/** Breached first, then the most urgent. */
export function byUrgency(a: BoardRow, b: BoardRow): number {
  if (a.state !== b.state) return a.state === 'breached' ? -1 : 1;
  return (a.dueAt ? Date.parse(a.dueAt) : Infinity) - (b.dueAt ? Date.parse(b.dueAt) : Infinity);
}
