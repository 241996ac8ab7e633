import { RecordedEvent } from '../event-store/event-store';
import { parseStoredEvents } from '../events/event-parser';
import type { StoredEvent } from '../events/stored-event';
import type { Projection } from './projection';

/**
 * A consumer with side effects outside the read models (SLA timers in Redis, webhooks, e-mail).
 * It has no tables and no rebuild; the runner stores its checkpoint (in ct_projections, beside
 * the projections', so readiness, lag and metrics see it) after `react` returned.
 *
 * At least once: a batch is handed over again after a failure or a crash before its checkpoint
 * was stored, so `react` must be idempotent (deterministic job ids, receivers that de-duplicate).
 */
export interface Reactor<E = RecordedEvent> {
  /** Stable name: its checkpoint's key. */
  readonly name: string;
  /**
   * A reactor that works from the rows of the projections run with it (in the same runner, which
   * applies them first) starts, the first time, where those projections are, not at the first
   * event: replaying the whole history would redo nothing useful.
   */
  readonly followsProjections?: boolean;
  /**
   * A reactor whose effect is news only when fresh (e-mail to partners) starts, the first time,
   * at the store's head: turning it on does not replay the whole history to the outside world.
   * That start is stored at once, so a stop before its first batch does not move it later.
   * (A store without `headCheckpoint`, EventStoreDB, starts at the first event.)
   */
  readonly startsAtHead?: boolean;
  react(events: readonly E[]): Promise<void>;
}

/** A reactor to the domain's events: it receives them parsed (typed and upcast), never casts. */
export function domainReactor(reactor: Reactor<StoredEvent>): Reactor {
  return {
    name: reactor.name,
    ...(reactor.followsProjections ? { followsProjections: true } : {}),
    ...(reactor.startsAtHead ? { startsAtHead: true } : {}),
    react: async (events) => {
      const parsed = parseStoredEvents(events);
      if (parsed.length) await reactor.react(parsed);
    },
  };
}

/** What a runner runs: read models (applied first, in one transaction) and reactors (after them). */
export type Consumer = Projection | Reactor;
export const isReactor = (consumer: Consumer): consumer is Reactor => 'react' in consumer;
