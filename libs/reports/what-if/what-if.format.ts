import type { OutcomeCounts, WhatIfResult } from '../../domain/sla/replay/what-if';
import { table } from '../compliance/sla-report.csv';
import { csvLine } from '../csv';

/** The changed clocks as CSV (one line each), the form a spreadsheet takes. */
export function whatIfCsv(result: WhatIfResult): string {
  const header = [
    'caseId',
    'reference',
    'partnerId',
    'clockId',
    'clock',
    'change',
    'currentSeverity',
    'currentDueAt',
    'currentOutcome',
    'proposedSeverity',
    'proposedDueAt',
    'proposedOutcome',
  ];
  return (
    csvLine(header) +
    result.changes
      .map((c) =>
        csvLine([
          c.caseId,
          c.reference,
          c.partnerId,
          c.clockId,
          c.clock,
          c.change,
          c.current.severity,
          c.current.dueAt,
          c.current.outcome,
          c.proposed.severity,
          c.proposed.dueAt,
          c.proposed.outcome,
        ]),
      )
      .join('')
  );
}

/** Totals side by side per severity, then the changed clocks (the CLI's default). */
export function whatIfTable(result: WhatIfResult): string {
  const counts = (c: OutcomeCounts) => [c.clocks, c.met, c.breached, c.stopped, c.open].map(String);
  const rows = [['severity', 'policy', 'clocks', 'met', 'breached', 'stopped', 'open']];
  for (const severity of ['A', 'B', 'C'] as const) {
    rows.push([severity, 'current', ...counts(result.bySeverity[severity].current)]);
    rows.push([severity, 'proposed', ...counts(result.bySeverity[severity].proposed)]);
  }
  rows.push(['all', 'current', ...counts(result.current)], ['all', 'proposed', ...counts(result.proposed)]);
  const a = result.agreement;
  const lines = [
    `what-if: proposed policy ${result.proposedPolicy.version} (${result.proposedPolicy.hash}) over ${result.cases} cases, as of ${result.asOf}`,
    '',
    table(rows),
    `newly breached: ${result.newlyBreached.clocks} clocks in ${result.newlyBreached.cases} cases; no longer breached: ${result.noLongerBreached.clocks} clocks in ${result.noLongerBreached.cases} cases`,
    a.casesCompared === 0
      ? 'no case ran under the proposed policy itself (nothing to compare with the recorded breaches)'
      : `${a.casesCompared} cases ran under the proposed policy itself: ${a.replayedBreaches} breaches replayed, ${a.recordedBreaches} recorded, ${a.mismatchCount} disagreements, ${a.pendingTimers} past due with their breach timer still to fire`,
    '',
  ];
  if (result.changes.length) {
    const changes = [['case', 'clock', 'change', 'current due', 'current', 'proposed due', 'proposed']];
    for (const c of result.changes)
      changes.push([
        c.reference,
        c.clockId,
        c.change,
        c.current.dueAt,
        c.current.outcome,
        c.proposed.dueAt,
        c.proposed.outcome,
      ]);
    lines.push(table(changes));
    if (result.changesTruncated) lines.push('(more changes than listed)\n');
  }
  return lines.join('\n');
}
