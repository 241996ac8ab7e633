import {
  applyAlert,
  byUrgency,
  matches,
  NO_FILTERS,
  rowsFromList,
} from '../../apps/console/src/views/board/board-model';
import type { Alert, CaseListItem } from '../../apps/console/src/api/types';

const item = (overrides: Partial<CaseListItem> = {}): CaseListItem => ({
  caseId: 'c1',
  reference: 'SR-1',
  status: 'open',
  severity: 'A',
  triaged: true,
  partnerId: 'p-contoso',
  product: 'office365',
  engineerId: 'e-1',
  managerId: 'm-1',
  summary: 'Mail down',
  sla: 'at-risk',
  nextDueAt: '2026-12-02T10:00:00.000Z',
  submittedAt: '2026-12-02T09:00:00.000Z',
  updatedAt: '2026-12-02T09:00:00.000Z',
  revision: 3,
  ...overrides,
});

const alert = (overrides: Partial<Alert> = {}): Alert => ({
  alertId: 'a1',
  kind: 'breach',
  eventType: 'SlaBreached',
  caseId: 'c1',
  reference: 'SR-1',
  severity: 'A',
  clockId: 'initialResponse-1',
  clock: 'initialResponse',
  dueAt: '2026-12-02T10:00:00.000Z',
  engineerId: 'e-1',
  managerId: null,
  reason: null,
  occurredAt: '2026-12-02T10:00:00.100Z',
  position: '42',
  ...overrides,
});

describe('the SLA board model (the console applies stream alerts before the list is read again)', () => {
  it('a breach alert puts an unknown case on the board, breached, shown now', () => {
    const rows = applyAlert(new Map(), alert(), 1000);
    expect(rows.get('c1')).toMatchObject({
      state: 'breached',
      reference: 'SR-1',
      severity: 'A',
      dueAt: '2026-12-02T10:00:00.000Z',
      shownAt: 1000,
    });
  });

  it('a warning never takes a breached case back to at risk; a triage warning is not a board row', () => {
    const breached = applyAlert(new Map(), alert(), 1000);
    expect(applyAlert(breached, alert({ kind: 'warning', eventType: 'SlaWarningRaised' }), 2000).get('c1')!.state).toBe(
      'breached',
    );
    expect(
      applyAlert(new Map(), alert({ kind: 'warning', eventType: 'TriageAtRisk', clock: 'triage' }), 2000).size,
    ).toBe(0);
  });

  it('escalation and pause mark a row on the board and add none', () => {
    const rows = applyAlert(new Map(), alert(), 1000);
    expect(
      applyAlert(rows, alert({ kind: 'escalation', eventType: 'EscalatedToManager' }), 2000).get('c1')!.escalated,
    ).toBe(true);
    expect(applyAlert(new Map(), alert({ kind: 'escalation' }), 2000).size).toBe(0);
    expect(applyAlert(rows, alert({ kind: 'paused' }), 2000).get('c1')!.paused).toBe(true);
  });

  it('the list keeps when a row was first shown in its state, and drops cases no longer at risk', () => {
    const rows = applyAlert(new Map(), alert(), 1000);
    const listed = rowsFromList([item({ sla: 'breached' }), item({ caseId: 'c2', sla: 'ok' })], rows, 5000);
    expect(listed.get('c1')).toMatchObject({ state: 'breached', shownAt: 1000, partnerId: 'p-contoso' });
    expect(listed.has('c2')).toBe(false);
    expect(rowsFromList([item({ sla: 'at-risk' })], rows, 5000).get('c1')!.shownAt).toBe(5000);
  });

  it('filters and orders: breached first, then the earliest due', () => {
    const rows = [
      ...rowsFromList(
        [
          item({ caseId: 'a', sla: 'at-risk', nextDueAt: '2026-12-02T10:00:00.000Z' }),
          item({
            caseId: 'b',
            sla: 'breached',
            nextDueAt: '2026-12-02T11:00:00.000Z',
            severity: 'B',
            engineerId: null,
          }),
          item({ caseId: 'c', sla: 'at-risk', nextDueAt: '2026-12-02T09:30:00.000Z' }),
        ],
        new Map(),
        0,
      ).values(),
    ];
    expect(rows.sort(byUrgency).map((r) => r.caseId)).toEqual(['b', 'c', 'a']);
    expect(rows.filter((r) => matches(r, { ...NO_FILTERS, engineerId: '(unassigned)' })).map((r) => r.caseId)).toEqual([
      'b',
    ]);
    expect(rows.filter((r) => matches(r, { ...NO_FILTERS, severity: 'A', state: 'at-risk' })).length).toBe(2);
    expect(rows.filter((r) => matches(r, { ...NO_FILTERS, text: 'nothing like it' })).length).toBe(0);
  });
});
