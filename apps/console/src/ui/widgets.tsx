import type { ComponentChildren } from 'preact';
import { timeLeft } from './format';

/** A live countdown to `dueAt` (re-rendered by the parent's clock); no aria-live: it would speak every second. */
export function Countdown({ dueAt, now }: { dueAt: string | null | undefined; now: number }) {
  const left = timeLeft(dueAt, now);
  if (!left) return <span class="muted">no live clock</span>;
  return (
    <time class={left.overdue ? 'countdown overdue' : 'countdown'} dateTime={dueAt ?? undefined} title={`due ${dueAt}`}>
      {left.text}
    </time>
  );
}

const STATE_TEXT: Record<string, string> = {
  'at-risk': 'at risk',
  warning: 'at risk',
  breached: 'breached',
  running: 'running',
  met: 'met',
  stopped: 'stopped',
  paused: 'paused',
  ok: 'ok',
};

/** A state as a badge: its word is always written (colour is never the only signal). */
export function StateBadge({ state }: { state: string }) {
  return <span class={`badge state-${state}`}>{STATE_TEXT[state] ?? state}</span>;
}

export function SeverityBadge({ severity }: { severity: string | null }) {
  return (
    <span class={`badge sev-${severity ?? 'none'}`} title={severity ? `severity ${severity}` : 'no severity'}>
      {severity ?? '–'}
    </span>
  );
}

export function ErrorNote({ error }: { error: string | null }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  const headingId = `${id ?? title.replace(/\W+/g, '-').toLowerCase()}-heading`;
  return (
    <section aria-labelledby={headingId} class="panel">
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
