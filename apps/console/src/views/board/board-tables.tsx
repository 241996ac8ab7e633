import type { Alert, CaseListItem, QueuedCall, Severity } from '../../api/types';
import { eventLabel, formatDuration, formatInstant } from '../../ui/format';
import { Countdown, SeverityBadge, StateBadge } from '../../ui/widgets';
import type { BoardRow } from './board-model';

/** The board's tables: plain tables with row headers, so a screen reader names each cell's case. */

const SEVERITIES: Severity[] = ['A', 'B', 'C'];

export function BoardTable({ rows, now }: { rows: BoardRow[]; now: number }) {
  if (!rows.length) return <p class="muted">Nothing at risk or breached.</p>;
  return (
    <table class="board">
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">State</th>
          <th scope="col">Time left</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.caseId}
            data-case-id={row.caseId}
            data-state={row.state}
            data-shown-at={row.shownAt}
            class={`row-${row.state}`}
          >
            <th scope="row">
              <a href={`#/case/${row.caseId}`}>{row.reference}</a>
              {row.summary && <div class="summary">{row.summary}</div>}
              <div class="muted small">
                {row.engineerId ? `engineer ${row.engineerId}` : 'unassigned'}
                {row.partnerId ? ` · ${row.partnerId} · ${row.product}` : ''}
              </div>
            </th>
            <td>
              <StateBadge state={row.state} />
              {row.escalated && <span class="badge escalated">escalated</span>}
              {row.paused && <span class="badge state-paused">paused</span>}
            </td>
            <td>
              <Countdown dueAt={row.dueAt} now={now} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EngineerMatrix({ rows }: { rows: BoardRow[] }) {
  const engineers = [...new Set(rows.map((r) => r.engineerId ?? '(unassigned)'))].sort();
  if (!engineers.length) return <p class="muted">No engineer has a case at risk or breached.</p>;
  const cell = (engineer: string, severity: Severity) => {
    const mine = rows.filter((r) => (r.engineerId ?? '(unassigned)') === engineer && r.severity === severity);
    const breached = mine.filter((r) => r.state === 'breached').length;
    const atRisk = mine.length - breached;
    return mine.length ? `${breached} breached, ${atRisk} at risk` : '—';
  };
  return (
    <table class="matrix">
      <thead>
        <tr>
          <th scope="col">Engineer</th>
          {SEVERITIES.map((s) => (
            <th scope="col" key={s}>
              Severity {s}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {engineers.map((engineer) => (
          <tr key={engineer}>
            <th scope="row">{engineer}</th>
            {SEVERITIES.map((s) => (
              <td key={s}>{cell(engineer, s)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UntriagedTable({ items, now, atRisk }: { items: CaseListItem[]; now: number; atRisk: Set<string> }) {
  if (!items.length) return <p class="muted">Every open case is triaged.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">Running as</th>
          <th scope="col">Waiting</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.caseId} data-case-id={item.caseId}>
            <th scope="row">
              <a href={`#/case/${item.caseId}`}>{item.reference}</a>
              <div class="summary">{item.summary}</div>
            </th>
            <td>
              <SeverityBadge severity={item.severity} />
              {atRisk.has(item.caseId) && <span class="badge state-at-risk">triage at risk</span>}
            </td>
            <td>{formatDuration(now - Date.parse(item.submittedAt))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The support team's call queue (calls on B/C cases), oldest first, with a live waiting time. */
export function CallQueueTable({ items, now }: { items: QueuedCall[]; now: number }) {
  if (!items.length) return <p class="muted">No call waiting.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">Caller</th>
          <th scope="col">Waiting</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.callId} data-call-id={item.callId}>
            <th scope="row">
              <a href={`#/case/${item.caseId}`}>{item.reference}</a> <SeverityBadge severity={item.severity} />
            </th>
            <td>{item.caller}</td>
            <td>{formatDuration(now - Date.parse(item.queuedAt))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AlertFeed({ alerts }: { alerts: Alert[] }) {
  if (!alerts.length) return <p class="muted">No alert yet.</p>;
  return (
    <ol class="feed">
      {alerts.map((alert) => (
        <li key={alert.alertId} data-kind={alert.kind}>
          <span class={`badge kind-${alert.kind}`}>{alert.kind}</span>{' '}
          <a href={`#/case/${alert.caseId}`}>{alert.reference ?? alert.caseId}</a> {eventLabel(alert.eventType)}
          {alert.clock ? ` (${alert.clock})` : ''} <span class="muted small">{formatInstant(alert.occurredAt)}</span>
        </li>
      ))}
    </ol>
  );
}

export function RecentTable({ items, now }: { items: CaseListItem[]; now: number }) {
  if (!items.length) return <p class="muted">No case to show for this key.</p>;
  return (
    <table class="recent">
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">Partner</th>
          <th scope="col">Status</th>
          <th scope="col">Severity</th>
          <th scope="col">SLA</th>
          <th scope="col">Next due</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.caseId} data-case-id={item.caseId} data-partner-id={item.partnerId}>
            <th scope="row">
              <a href={`#/case/${item.caseId}`}>{item.reference}</a>
              <div class="summary">{item.summary}</div>
            </th>
            <td>{item.partnerId}</td>
            <td>{item.status}</td>
            <td>
              <SeverityBadge severity={item.severity} />
            </td>
            <td>
              <StateBadge state={item.sla} />
            </td>
            <td>{item.nextDueAt ? <Countdown dueAt={item.nextDueAt} now={now} /> : <span class="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
