import type { HistoryEntry } from '../../api/types';
import { eventLabel, formatInstant } from '../../ui/format';

/** Every event of the case, in order, with who did it, in which role, and why (its cause). */
export function Timeline({ history, onShowAsOf }: { history: HistoryEntry[]; onShowAsOf: (instant: string) => void }) {
  return (
    <ol class="timeline">
      {history.map((e) => (
        <li key={e.eventId} data-type={e.type}>
          <div class="when">
            <time dateTime={e.metadata.occurredAt}>{formatInstant(e.metadata.occurredAt)}</time>
            <span class="muted small"> #{e.revision}</span>
          </div>
          <div class="what">
            <strong>{eventLabel(e.type)}</strong> {detail(e)}
            <div class="muted small">
              by <span class="actor">{e.metadata.actor}</span>
              {e.metadata.actorRole ? ` (${e.metadata.actorRole})` : ''}; cause: {cause(e)}
            </div>
          </div>
          <button
            type="button"
            class="small"
            onClick={() => onShowAsOf(e.metadata.occurredAt)}
            aria-label={`Show the case as of ${eventLabel(e.type)} at ${formatInstant(e.metadata.occurredAt)}`}
          >
            Show as of this
          </button>
        </li>
      ))}
    </ol>
  );
}

/** The event's own reason when it has one, else the request (or timer) that caused it. */
function cause(e: HistoryEntry): string {
  const d = e.data as Record<string, unknown>;
  const own = [d.cause, d.reason, d.detectedBy && `detected by ${String(d.detectedBy)}`].filter(Boolean).map(String);
  const request = e.metadata.causationId ? `request ${e.metadata.causationId}` : null;
  return [...own, request].filter(Boolean).join('; ') || '—';
}

function detail(e: HistoryEntry): string {
  const d = e.data as Record<string, unknown>;
  const parts: string[] = [];
  for (const field of [
    'severity',
    'clock',
    'clockId',
    'engineerId',
    'managerId',
    'status',
    'channel',
    'summary',
    'team',
    'dueAt',
  ]) {
    const value = d[field];
    if (value === undefined || value === null || value === '') continue;
    parts.push(`${field} ${field === 'dueAt' ? formatInstant(String(value)) : String(value).slice(0, 120)}`);
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}
