import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient, ApiError } from '../../api/client';
import type { CaseView, HistoryEntry } from '../../api/types';
import { formatInstant } from '../../ui/format';
import { ErrorNote, SeverityBadge } from '../../ui/widgets';
import { ClocksTable } from './clocks-table';

/**
 * A slider over the case's life, in seconds from its submission to now (or to its last event),
 * with the event instants as ticks. Wherever it stops, the case and its clocks are read as they
 * stood at that instant (GET /v1/cases/{id}/state?asOf=), exactly as the store answers it.
 */
export function AsOfSlider({
  client,
  view,
  history,
  asOf,
  onAsOf,
}: {
  client: ApiClient;
  view: CaseView;
  history: HistoryEntry[];
  asOf: string | null;
  onAsOf: (instant: string) => void;
}) {
  const start = Date.parse(history[0]?.metadata.occurredAt ?? view.submittedAt);
  const last = Date.parse(history[history.length - 1]?.metadata.occurredAt ?? view.updatedAt);
  const end = useMemo(
    () => (['open', 'awaiting-partner'].includes(view.status) ? Math.max(Date.now(), last) : last + 1000),
    [view.status, last],
  );
  const max = Math.max(1, Math.ceil((end - start) / 1000));
  const instant = asOf ?? new Date(start + max * 1000).toISOString();
  const value = Math.min(max, Math.max(0, Math.ceil((Date.parse(instant) - start) / 1000)));
  const ticks = history.map((e) => Math.ceil((Date.parse(e.metadata.occurredAt) - start) / 1000));
  const [state, setState] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const request = useRef(0);

  // Reads the state at `instant`, a little after the slider stops (dragging asks once, not 100 times).
  useEffect(() => {
    const mine = ++request.current;
    setLoading(true);
    const timer = setTimeout(async () => {
      try {
        const answer = await client.get<CaseView>(
          `/v1/cases/${encodeURIComponent(view.caseId)}/state?asOf=${encodeURIComponent(instant)}`,
        );
        if (mine !== request.current) return;
        setState(answer);
        setError(null);
      } catch (e) {
        if (mine !== request.current) return;
        setState(null);
        setError(
          e instanceof ApiError && e.status === 404
            ? 'The case did not exist yet at that instant.'
            : (e as Error).message,
        );
      } finally {
        if (mine === request.current) setLoading(false);
      }
    }, 150);
    return () => clearTimeout(timer);
  }, [client, view.caseId, instant]);

  const moveTo = (seconds: number) => onAsOf(new Date(start + seconds * 1000).toISOString());
  const previousTick = [...ticks].reverse().find((t) => t < value);
  const nextTick = ticks.find((t) => t > value);
  const included = state ? history.filter((e) => e.revision <= state.revision).length : 0;

  return (
    <div class="as-of" data-loading={loading ? 'true' : 'false'}>
      <label for="as-of-slider">
        Case as of{' '}
        <output for="as-of-slider" id="as-of-instant" data-instant={instant}>
          {formatInstant(instant)}
        </output>
      </label>
      <input
        id="as-of-slider"
        type="range"
        min={0}
        max={max}
        step={1}
        value={value}
        list="as-of-ticks"
        aria-valuetext={`${formatInstant(instant)}, ${value} seconds after submission`}
        onInput={(e) => moveTo(Number((e.target as HTMLInputElement).value))}
      />
      <datalist id="as-of-ticks">
        {ticks.map((t, i) => (
          <option key={i} value={t} />
        ))}
      </datalist>
      <div class="as-of-buttons">
        <button
          type="button"
          disabled={previousTick === undefined}
          onClick={() => previousTick !== undefined && moveTo(previousTick)}
        >
          Previous event
        </button>
        <button
          type="button"
          disabled={nextTick === undefined}
          onClick={() => nextTick !== undefined && moveTo(nextTick)}
        >
          Next event
        </button>
        <button type="button" onClick={() => moveTo(max)}>
          Latest
        </button>
      </div>
      <ErrorNote error={error} />
      {state && (
        <div id="as-of-state" data-as-of={state.asOf} data-revision={state.revision} aria-live="polite">
          <p>
            At {formatInstant(state.asOf)}: <span class="badge">{state.status}</span>{' '}
            <SeverityBadge severity={state.severity} />, engineer {state.engineerId ?? 'unassigned'}, {included} of{' '}
            {history.length} events.
          </p>
          <ClocksTable view={state} now={Date.parse(state.asOf ?? instant)} live idPrefix="asof" />
        </div>
      )}
    </div>
  );
}
