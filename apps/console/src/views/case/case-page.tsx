import { useCallback, useEffect, useState } from 'preact/hooks';
import { openAlertStream } from '../../api/alert-stream';
import { ApiError } from '../../api/client';
import type { Session } from '../../api/session';
import type { CaseView, HistoryEntry } from '../../api/types';
import { formatInstant } from '../../ui/format';
import { useNow } from '../../ui/hooks';
import { ErrorNote, Section, SeverityBadge } from '../../ui/widgets';
import { AsOfSlider } from './as-of-slider';
import { ClocksTable } from './clocks-table';
import { EscalationPath } from './escalation-path';
import { Timeline } from './timeline';

/**
 * One case: its facts, escalation path, clocks and every event with actor and cause, and an
 * as-of slider that shows the case as it stood at any instant of its life (GET /state?asOf=).
 */
export function CasePage({ caseId, session }: { caseId: string; session: Session }) {
  const { client, capabilities } = session;
  const now = useNow();
  const [view, setView] = useState<CaseView | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [asOf, setAsOf] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [current, events] = await Promise.all([
        client.get<CaseView>(`/v1/cases/${encodeURIComponent(caseId)}`),
        client.get<HistoryEntry[]>(`/v1/cases/${encodeURIComponent(caseId)}/history`),
      ]);
      setView(current);
      setHistory(events);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? 'No such case for this key.' : (e as Error).message);
    }
  }, [client, caseId]);

  useEffect(() => {
    void load();
  }, [load]);

  // The case's own alerts re-read it (its reads are always current).
  useEffect(() => {
    if (!capabilities.alerts) return;
    return openAlertStream(
      client.key,
      (alert) => alert.caseId === caseId && void load(),
      () => undefined,
    );
  }, [client, caseId, capabilities.alerts, load]);

  if (error) {
    return (
      <>
        <h1>Case</h1>
        <ErrorNote error={error} />
        <p>
          <a href="#/board">Back to the board</a>
        </p>
      </>
    );
  }
  if (!view) return <p class="loading">Loading the case…</p>;

  return (
    <>
      <div class="view-head">
        <h1>
          {view.reference} <SeverityBadge severity={view.severity} /> <span class="badge">{view.status}</span>
        </h1>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <p class="lead">{view.summary}</p>
      <div class="two-columns">
        <Section title="Facts" id="facts">
          <Facts view={view} />
        </Section>
        <Section title="Escalation path" id="escalation">
          <EscalationPath view={view} history={history} />
        </Section>
      </div>
      <Section title="Clocks now" id="clocks">
        <ClocksTable view={view} now={now} live idPrefix="now" />
        {!!view.slaBreaches?.length && (
          <p>
            Breaches recorded:{' '}
            {view.slaBreaches
              .map((b) => `${b.clockId} (severity ${b.severity}, due ${formatInstant(b.dueAt)})`)
              .join('; ')}
          </p>
        )}
      </Section>
      <Section title="As of an instant" id="as-of">
        <AsOfSlider client={client} view={view} history={history} asOf={asOf} onAsOf={setAsOf} />
      </Section>
      <Section title={`Timeline (${history.length} events)`} id="timeline">
        <Timeline
          history={history}
          onShowAsOf={(instant) => {
            setAsOf(instant);
            // The keyboard follows: the slider (and the state under it) is where the answer is.
            document.getElementById('as-of-slider')?.focus();
          }}
        />
      </Section>
    </>
  );
}

function Facts({ view }: { view: CaseView }) {
  const facts: [string, string | number | null | undefined][] = [
    ['Case id', view.caseId],
    ['Partner', view.partnerId],
    ['Customer', view.customerId ?? 'own subscription'],
    ['Product', view.product],
    ['Request', view.requestType],
    ['Topic', `${view.topic} / ${view.feature}`],
    ['Symptom', view.symptom],
    ['Service unavailable', view.serviceUnavailable ? 'yes' : 'no'],
    ['Users affected', view.usersAffected],
    [
      'Contact',
      `${view.contact.name} <${view.contact.email}> (${view.contact.timeZone}${view.contact.country ? `, ${view.contact.country}` : ''})`,
    ],
    ['Partner 24x7', view.partnerAvailable24x7 ? 'yes' : 'no'],
    ['Proposed severity', view.proposedSeverity ?? 'none'],
    [
      'Triaged',
      view.triaged
        ? `${formatInstant(view.triagedAt)} by ${view.triagedBy}`
        : `not yet${view.triageDueAt ? ` (due ${formatInstant(view.triageDueAt)})` : ''}`,
    ],
    ['Submitted', formatInstant(view.submittedAt)],
    ['Last change', formatInstant(view.updatedAt)],
    ['Updates sent', view.updateCount ?? 0],
    ['Policy', view.sla?.policyVersion],
  ];
  // The eligibility facts the partner stated, where they apply.
  if (view.azure)
    facts.push([
      'Azure',
      `subscription ${view.azure.subscriptionId ?? '—'}, access ID ${view.azure.accessId ?? '—'}, contract ${view.azure.contractId ?? '—'}`,
    ]);
  if (view.customerId && view.partnerOfRecord !== undefined)
    facts.push(['Partner of record', view.partnerOfRecord ? 'yes' : 'no']);
  if (view.crmOnline)
    facts.push([
      'CRM Online',
      `sign-in ${view.crmOnline.office365SignIn ?? '—'}, subscription ${view.crmOnline.subscriptionId ?? '—'}`,
    ]);
  if (view.routedTo) facts.push(['Routed to', view.routedTo]);
  if (view.rejectionReason) facts.push(['Rejected', view.rejectionReason]);
  if (view.awaitingPartner)
    facts.push([
      'Awaiting partner',
      `${view.awaitingPartner.reason} since ${formatInstant(view.awaitingPartner.since)}`,
    ]);
  return (
    <dl class="facts">
      {facts.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
