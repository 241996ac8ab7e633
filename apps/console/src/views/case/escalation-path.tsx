import type { CaseView, HistoryEntry } from '../../api/types';
import { formatInstant } from '../../ui/format';

const PATH_EVENTS = new Set([
  'EngineerAssigned',
  'EscalatedToManager',
  'EscalatedToDutyManager',
  'TransferredOnSeverityACall',
  'UpdateReminderSent',
]);

/** Who holds the case, whom it escalates to, and every step that moved it along that path. */
export function EscalationPath({ view, history }: { view: CaseView; history: HistoryEntry[] }) {
  const steps = history.filter((e) => PATH_EVENTS.has(e.type));
  return (
    <>
      <ol class="path" aria-label="Current escalation path">
        <li>
          Engineer: <strong>{view.engineerId ?? 'unassigned'}</strong>
        </li>
        <li>
          Backup: <strong>{view.backupEngineerId ?? 'none'}</strong>
        </li>
        <li>
          Manager: <strong>{view.managerId ?? (view.engineerId ? 'none (the engineer is a manager)' : '—')}</strong>
        </li>
      </ol>
      <p>Escalations: {view.escalationCount ?? 0}</p>
      {steps.length ? (
        <ul class="steps">
          {steps.map((e) => (
            <li key={e.eventId}>
              {formatInstant(e.metadata.occurredAt)}: {describe(e)}{' '}
              <span class="muted small">by {e.metadata.actor}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No assignment or escalation yet.</p>
      )}
    </>
  );
}

function describe(e: HistoryEntry): string {
  const d = e.data as Record<string, string | boolean | null>;
  switch (e.type) {
    case 'EngineerAssigned':
      return `assigned to ${d.engineerId}${d.previousEngineerId ? ` (was ${d.previousEngineerId})` : ''}`;
    case 'EscalatedToManager':
      return `escalated to ${d.managerId}${d.automatic ? ' automatically' : ''}: ${d.reason}`;
    case 'EscalatedToDutyManager':
      return d.dutyManagerId
        ? `escalated to the duty manager ${d.dutyManagerId}: ${d.reason}`
        : `unowned (nobody on duty): ${d.reason}`;
    case 'TransferredOnSeverityACall':
      return `transferred from ${d.fromEngineerId} to ${d.toEngineerId} on a call by ${d.caller}`;
    case 'UpdateReminderSent':
      return `reminder sent to ${d.engineerId}`;
    default:
      return e.type;
  }
}
