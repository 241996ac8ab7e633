import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { query } from '../../api/client';
import { openAlertStream, StreamStatus } from '../../api/alert-stream';
import type { Session } from '../../api/session';
import type { Alert, CaseListItem, Severity } from '../../api/types';
import { eventLabel, formatDuration, formatInstant } from '../../ui/format';
import { useNow } from '../../ui/hooks';
import { Countdown, ErrorNote, Section, SeverityBadge, StateBadge } from '../../ui/widgets';
import { applyAlert, BoardFilters, BoardRow, byUrgency, matches, NO_FILTERS, Rows, rowsFromList } from './board-model';
import { BoardFiltersForm } from './board-filters';

const SEVERITIES: Severity[] = ['A', 'B', 'C'];
/** Without the alert stream (a partner key) the board is read again this often. */
const POLL_MS = 5000;
/** With the stream, a slower re-read catches what raises no alert (a clock answered in time). */
const RECONCILE_MS = 15_000;

/**
 * The SLA board: cases at risk and breached by severity and engineer, live countdowns, the
 * untriaged queue and the latest alerts. Alerts from the stream are applied at once (so a breach
 * shows within a second of its event), then the lists are read again consistent with that alert.
 */
export function Board({ session }: { session: Session }) {
  const { client, capabilities } = session;
  const now = useNow();
  const [rows, setRows] = useState<Rows>(new Map());
  const [untriaged, setUntriaged] = useState<CaseListItem[]>([]);
  const [recent, setRecent] = useState<CaseListItem[]>([]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [triageAtRisk, setTriageAtRisk] = useState<Set<string>>(new Set());
  const [filters, setFilters] = useState<BoardFilters>(NO_FILTERS);
  const [stream, setStream] = useState<StreamStatus | 'off'>(capabilities.alerts ? 'connecting' : 'off');
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const lastPosition = useRef<bigint | null>(null);
  const rowsRef = useRef<Rows>(rows);
  rowsRef.current = rows;

  const refresh = useCallback(async () => {
    const consistentWith = lastPosition.current?.toString();
    try {
      const [atRisk, breached, queue, latest, feed] = await Promise.all([
        client.get<{ items: CaseListItem[] }>(`/v1/cases${query({ sla: 'at-risk', limit: 200, consistentWith })}`),
        client.get<{ items: CaseListItem[] }>(`/v1/cases${query({ sla: 'breached', limit: 200, consistentWith })}`),
        client.get<{ items: CaseListItem[] }>(`/v1/cases${query({ triaged: false, status: 'open', limit: 200, consistentWith })}`),
        client.get<{ items: CaseListItem[] }>(`/v1/cases${query({ limit: 50, consistentWith })}`),
        capabilities.alerts ? client.get<{ items: Alert[] }>(`/v1/alerts${query({ limit: 20, consistentWith })}`) : Promise.resolve(null),
      ]);
      setRows(rowsFromList([...breached.items, ...atRisk.items.filter((i) => !breached.items.some((b) => b.caseId === i.caseId))], rowsRef.current, Date.now()));
      setUntriaged(queue.items);
      setRecent(latest.items);
      if (feed) setAlerts(feed.items);
      setError(null);
    } catch (e) {
      // Keep what is shown; say why it may be stale.
      setError(`Could not refresh the board: ${(e as Error).message}`);
    }
  }, [client, capabilities.alerts]);

  // Several alerts in a burst cause one re-read.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshSoon = useCallback(() => {
    if (pending.current) clearTimeout(pending.current);
    pending.current = setTimeout(() => void refresh(), 300);
  }, [refresh]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), capabilities.alerts ? RECONCILE_MS : POLL_MS);
    return () => clearInterval(timer);
  }, [refresh, capabilities.alerts]);

  useEffect(() => {
    if (!capabilities.alerts) return;
    return openAlertStream(
      client.key,
      (alert) => {
        const position = BigInt(alert.position);
        if (lastPosition.current === null || position > lastPosition.current) lastPosition.current = position;
        setRows((current) => applyAlert(current, alert, Date.now()));
        setAlerts((current) => [alert, ...current.filter((a) => a.alertId !== alert.alertId)].slice(0, 20));
        if (alert.kind === 'warning' && alert.clock === 'triage') setTriageAtRisk((s) => new Set(s).add(alert.caseId));
        if (alert.kind === 'breach' || alert.kind === 'escalation') {
          setAnnouncement(`${alert.kind === 'breach' ? 'Breach' : 'Escalation'}: ${alert.reference ?? alert.caseId}, severity ${alert.severity ?? 'unknown'}`);
        }
        refreshSoon();
      },
      setStream,
    );
  }, [client, capabilities.alerts, refreshSoon]);

  const all = useMemo(() => [...rows.values()], [rows]);
  const shown = useMemo(() => all.filter((r) => matches(r, filters)).sort(byUrgency), [all, filters]);
  const engineers = useMemo(() => [...new Set(all.map((r) => r.engineerId ?? '(unassigned)'))].sort(), [all]);
  const partners = useMemo(() => [...new Set(all.map((r) => r.partnerId).filter((p): p is string => !!p))].sort(), [all]);

  return (
    <>
      <div class="view-head">
        <h1>SLA board</h1>
        <p class="stream-status" data-stream={stream}>
          {stream === 'off' ? `Refreshed every ${POLL_MS / 1000} s` : stream === 'live' ? 'Live' : stream === 'forbidden' ? 'No live alerts for this key' : 'Connecting…'}
        </p>
      </div>
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <ErrorNote error={error} />
      <BoardFiltersForm filters={filters} onChange={setFilters} engineers={engineers} partners={partners} />
      <div class="board-grid">
        {SEVERITIES.map((severity) => {
          const list = shown.filter((r) => r.severity === severity);
          return (
            <Section key={severity} id={`sev-${severity}`} title={`Severity ${severity}: ${list.filter((r) => r.state === 'breached').length} breached, ${list.filter((r) => r.state === 'at-risk').length} at risk`}>
              <BoardTable rows={list} now={now} />
            </Section>
          );
        })}
      </div>
      <Section title="By engineer" id="by-engineer">
        <EngineerMatrix rows={shown} />
      </Section>
      <div class="two-columns">
        <Section title={`Untriaged queue (${untriaged.length})`} id="untriaged">
          <UntriagedTable items={untriaged} now={now} atRisk={triageAtRisk} />
        </Section>
        {capabilities.alerts && (
          <Section title="Latest alerts" id="alerts">
            <AlertFeed alerts={alerts} />
          </Section>
        )}
      </div>
      <Section title="Latest cases" id="latest">
        <RecentTable items={recent} now={now} />
      </Section>
    </>
  );
}

function BoardTable({ rows, now }: { rows: BoardRow[]; now: number }) {
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
          <tr key={row.caseId} data-case-id={row.caseId} data-state={row.state} data-shown-at={row.shownAt} class={`row-${row.state}`}>
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

function EngineerMatrix({ rows }: { rows: BoardRow[] }) {
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

function UntriagedTable({ items, now, atRisk }: { items: CaseListItem[]; now: number; atRisk: Set<string> }) {
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

function AlertFeed({ alerts }: { alerts: Alert[] }) {
  if (!alerts.length) return <p class="muted">No alert yet.</p>;
  return (
    <ol class="feed">
      {alerts.map((alert) => (
        <li key={alert.alertId} data-kind={alert.kind}>
          <span class={`badge kind-${alert.kind}`}>{alert.kind}</span> <a href={`#/case/${alert.caseId}`}>{alert.reference ?? alert.caseId}</a>{' '}
          {eventLabel(alert.eventType)}
          {alert.clock ? ` (${alert.clock})` : ''} <span class="muted small">{formatInstant(alert.occurredAt)}</span>
        </li>
      ))}
    </ol>
  );
}

function RecentTable({ items, now }: { items: CaseListItem[]; now: number }) {
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
