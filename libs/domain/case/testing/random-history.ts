/**
 * Random case histories made by the real case decider under a real clock calculator, with a
 * punctual scheduler: before each command, every breach and auto-resume timer due by then fires
 * at its instant (as the live system's timers do). Deterministic for a seed. Used by the
 * what-if/report agreement tests and by the benchmark's data set.
 */
import { DomainError } from '../../shared/domain-errors';
import type { ClockCalculator } from '../../sla/sla-clock';
import { CaseCommand, CaseContext } from '../case.commands';
import { caseDecider } from '../case.decider';
import { CaseEvent } from '../case.events';
import { Case, CaseState, liveClocks } from '../case.state';
import { Severity } from '../case.types';

export interface DecidedEvent {
  readonly event: CaseEvent;
  /** The decision's now (also the event's `at`). */
  readonly now: string;
}

export interface RandomHistoryOptions {
  readonly caseId: string;
  readonly partnerId: string;
  readonly engineers: readonly { readonly engineerId: string; readonly managerId: string }[];
  /** When the case is submitted (ms since the epoch). */
  readonly startMs: number;
  /** Timers due by then have fired; no command comes after it. */
  readonly endMs: number;
  /** Commands after the submission. */
  readonly commands: number;
  readonly random: () => number;
  readonly clocks: ClockCalculator;
}

const ZONES = [
  { timeZone: 'Europe/Paris', country: 'FR' },
  { timeZone: 'America/New_York', country: 'US' },
  { timeZone: 'Asia/Tokyo', country: 'JP' },
  { timeZone: 'Australia/Sydney', country: 'AU', region: 'NSW' },
];
const PRODUCTS = ['office365', 'crm-online', 'intune', 'enterprise-mobility'] as const;
const SEVERITIES: readonly Severity[] = ['A', 'B', 'C'];
const MINUTE = 60_000;

/** A small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One case's history: the submission, then `commands` random commands with timers firing on time. */
export function randomCaseHistory(o: RandomHistoryOptions): DecidedEvent[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(o.random() * items.length)];
  const out: DecidedEvent[] = [];
  let state: CaseState = null;
  let cursor = o.startMs;

  const run = (command: CaseCommand, nowMs: number): boolean => {
    const now = new Date(Math.max(nowMs, cursor)).toISOString();
    const context: CaseContext = { now, clocks: o.clocks };
    let events: CaseEvent[];
    try {
      events = caseDecider.decide(command, state, context);
    } catch (error) {
      if (error instanceof DomainError) return false; // refused: writes nothing
      throw error;
    }
    cursor = Date.parse(now);
    for (const event of events) {
      state = caseDecider.evolve(state, event);
      out.push({ event, now });
    }
    return true;
  };

  /** Fires, in time order, every breach and auto-resume timer due by `untilMs`. */
  const fireTimers = (untilMs: number) => {
    for (let guard = 0; guard < 100; guard++) {
      if (state === null) return;
      const due = nextTimer(state);
      if (!due || due.atMs > untilMs) return;
      run(due.command, due.atMs);
    }
  };

  const zone = pick(ZONES);
  const proposed = o.random() < 0.5 ? pick(SEVERITIES) : null;
  run(
    {
      type: 'SubmitCase',
      data: {
        caseId: o.caseId,
        reference: `SR-${o.caseId.slice(0, 8).toUpperCase()}`,
        submittedBy: `partner:${o.partnerId}`,
        partnerId: o.partnerId,
        product: pick(PRODUCTS),
        requestType: 'repair',
        submitterRole: 'admin',
        topic: 'Exchange Online',
        feature: 'Mail flow',
        symptom: 'Mail cannot be sent or received',
        summary: 'Mail down',
        details: 'Nobody can send or receive mail.',
        serviceUnavailable: proposed === 'A',
        usersAffected: 10,
        contact: { name: 'Jo', email: 'jo@partner.example', ...zone },
        partnerAvailable24x7: o.random() < 0.7,
        proposedSeverity: proposed,
      },
    },
    o.startMs,
  );

  let t = o.startMs;
  const by = 'support:alice';
  for (let i = 0; i < o.commands; i++) {
    // Gaps from a minute to about three days: some clocks are met, some breached, some paused past due.
    const r = o.random();
    t +=
      r < 0.5
        ? Math.ceil(o.random() * 90) * MINUTE
        : r < 0.85
          ? Math.ceil(o.random() * 20 * 60) * MINUTE
          : Math.ceil(o.random() * 3 * 24 * 60) * MINUTE;
    if (t > o.endMs) break;
    fireTimers(t);
    const engineer = pick(o.engineers);
    const c = o.random();
    const command: CaseCommand =
      c < 0.15
        ? { type: 'AssignSeverity', data: { severity: pick(SEVERITIES), reason: 'impact assessed', by } }
        : c < 0.25
          ? { type: 'AssignEngineer', data: { engineerId: engineer.engineerId, engineer, by } }
          : c < 0.55
            ? { type: 'LogUpdate', data: { channel: 'email', summary: 'progress', by } }
            : c < 0.63
              ? { type: 'AwaitPartner', data: { reason: 'information-requested', summary: 'need logs', by } }
              : c < 0.71
                ? { type: 'RecordPartnerReply', data: { summary: 'logs attached', by: `partner:${o.partnerId}` } }
                : c < 0.75
                  ? { type: 'ResumeClock', data: { by } }
                  : c < 0.79
                    ? { type: 'SetPartnerAvailability', data: { available24x7: o.random() < 0.5, by } }
                    : c < 0.88
                      ? { type: 'ResolveCase', data: { summary: 'fixed', by } }
                      : c < 0.93
                        ? { type: 'CloseCase', data: { by } }
                        : c < 0.97
                          ? { type: 'ReopenCase', data: { reason: 'came back', by: `partner:${o.partnerId}` } }
                          : { type: 'Escalate', data: { reason: 'partner asked', by } };
    run(command, t);
  }
  fireTimers(o.endMs);
  return out;
}

/** The earliest breach or auto-resume timer of the case's live clocks. */
function nextTimer(state: Case): { atMs: number; command: CaseCommand } | null {
  if (state.status !== 'open' && state.status !== 'awaiting-partner') return null;
  let best: { atMs: number; command: CaseCommand } | null = null;
  for (const clock of liveClocks(state)) {
    const candidate =
      clock.state === 'running' || clock.state === 'warning'
        ? {
            atMs: Date.parse(clock.dueAt),
            command: { type: 'RecordSlaBreach', data: { clockId: clock.clockId } } as CaseCommand,
          }
        : clock.state === 'paused' && clock.autoResumeAt
          ? {
              atMs: Date.parse(clock.autoResumeAt),
              command: { type: 'AutoResumeClock', data: { clockId: clock.clockId } } as CaseCommand,
            }
          : null;
    if (candidate && (!best || candidate.atMs < best.atMs)) best = candidate;
  }
  return best;
}
