import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { query } from '../../api/client';
import { openAlertStream, StreamStatus } from '../../api/alert-stream';
import type { Session } from '../../api/session';
import type { Alert, CaseListItem, QueuedCall, Severity } from '../../api/types';
import { useNow } from '../../ui/hooks';
import { ErrorNote, Section } from '../../ui/widgets';
import { applyAlert, BoardFilters, byUrgency, matches, NO_FILTERS, Rows, rowsFromList } from './board-model';
import { BoardFiltersForm } from './board-filters';
import { AlertFeed, BoardTable, CallQueueTable, EngineerMatrix, RecentTable, UntriagedTable } from './board-tables';

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
  const [calls, setCalls] = useState<QueuedCall[]>([]);
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
      const [atRisk, breached, queue, latest, feed, callQueue] = await Promise.all([
        client.get<{ items: CaseListItem[] }>(`/v1/cases${query({ sla: 'at-risk', limit: 200, consistentWith })}`),
        client.get<{ items: CaseListItem[] }>(`/v1/cases${query({ sla: 'breached', limit: 200, consistentWith })}`),
        client.get<{ items: CaseListItem[] }>(
          `/v1/cases${query({ triaged: false, status: 'open', limit: 200, consistentWith })}`,
        ),
        client.get<{ items: CaseListItem[] }>(`/v1/cases${query({ limit: 50, consistentWith })}`),
        capabilities.alerts
          ? client.get<{ items: Alert[] }>(`/v1/alerts${query({ limit: 20, consistentWith })}`)
          : Promise.resolve(null),
        // The keys that read alerts (staff, ops, auditors) read the call queue too; a partner does not.
        capabilities.alerts
          ? client.get<{ items: QueuedCall[] }>(`/v1/call-queue${query({ consistentWith })}`)
          : Promise.resolve(null),
      ]);
      setRows(
        rowsFromList(
          [...breached.items, ...atRisk.items.filter((i) => !breached.items.some((b) => b.caseId === i.caseId))],
          rowsRef.current,
          Date.now(),
        ),
      );
      setUntriaged(queue.items);
      setRecent(latest.items);
      if (feed) setAlerts(feed.items);
      if (callQueue) setCalls(callQueue.items);
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
          setAnnouncement(
            `${alert.kind === 'breach' ? 'Breach' : 'Escalation'}: ${alert.reference ?? alert.caseId}, severity ${alert.severity ?? 'unknown'}`,
          );
        }
        refreshSoon();
      },
      setStream,
    );
  }, [client, capabilities.alerts, refreshSoon]);

  const all = useMemo(() => [...rows.values()], [rows]);
  const shown = useMemo(() => all.filter((r) => matches(r, filters)).sort(byUrgency), [all, filters]);
  const engineers = useMemo(() => [...new Set(all.map((r) => r.engineerId ?? '(unassigned)'))].sort(), [all]);
  const partners = useMemo(
    () => [...new Set(all.map((r) => r.partnerId).filter((p): p is string => !!p))].sort(),
    [all],
  );

  return (
    <>
      <div class="view-head">
        <h1>SLA board</h1>
        <p class="stream-status" data-stream={stream}>
          {stream === 'off'
            ? `Refreshed every ${POLL_MS / 1000} s`
            : stream === 'live'
              ? 'Live'
              : stream === 'forbidden'
                ? 'No live alerts for this key'
                : 'Connecting…'}
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
            <Section
              key={severity}
              id={`sev-${severity}`}
              title={`Severity ${severity}: ${list.filter((r) => r.state === 'breached').length} breached, ${list.filter((r) => r.state === 'at-risk').length} at risk`}
            >
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
      {capabilities.alerts && (
        <Section title={`Call queue (${calls.length})`} id="call-queue">
          <CallQueueTable items={calls} now={now} />
        </Section>
      )}
      <Section title="Latest cases" id="latest">
        <RecentTable items={recent} now={now} />
      </Section>
    </>
  );
}
