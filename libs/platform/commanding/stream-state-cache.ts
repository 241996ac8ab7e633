import { Decider, DomainEvent, fold } from '../../domain/shared/decider';
import { parseStreamEvents } from '../../events/event-parser';
import { EventStore, RecordedEvent } from '../../event-store/event-store';
import { BoundedMap } from '../collections/bounded-map';

/** A stream folded by a decider: its state, revision (-1: no stream) and last global position. */
export interface StreamState<S> {
  readonly state: S;
  readonly revision: number;
  readonly position: string | null;
}

type Folder<S, E extends DomainEvent = DomainEvent> = Pick<
  Decider<never, E, S>,
  'evolve' | 'initialState' | 'eventTypes'
>;

interface CachedStream<S> extends StreamState<S> {
  /** The decider that folded it: another decider's fold of the same stream is not this one. */
  readonly decider: object;
}

/** How many streams' states are kept (a case's state is a few kB). */
const STATE_CACHE_LIMIT = 10_000;

/**
 * Recently decided streams' states, so a command usually costs one round trip (the append).
 * A cached state is always the fold of the stream's first events exactly (it was read from the
 * store or built from an append the store accepted, and stored events never change), so catching
 * up reads only the events after it: after a conflict that is the other writer's one or two
 * events, not the stream's whole history again. It may be behind the store (another process
 * wrote); acting on it is safe because every append expects its revision.
 */
export class StreamStateCache {
  private readonly streams = new BoundedMap<string, CachedStream<unknown>>(STATE_CACHE_LIMIT);

  constructor(private readonly store: Pick<EventStore, 'readStream'>) {}

  /** The cached state (`fresh`: caught up with the store first), else the stream read and folded. */
  async current<S, E extends DomainEvent>(
    decider: Folder<S, E>,
    streamId: string,
    fresh: boolean,
  ): Promise<StreamState<S>> {
    const hit = this.streams.get(streamId) as CachedStream<S> | undefined;
    if (hit && hit.decider === decider) {
      if (!fresh) return hit;
      const newer = await this.store.readStream(streamId, { fromRevision: hit.revision + 1 });
      return this.remember(streamId, decider, {
        state: foldRecorded(decider, hit.state, newer),
        revision: hit.revision + newer.length,
        position: newer.at(-1)?.position ?? hit.position,
      });
    }
    const recorded = await this.store.readStream(streamId);
    return this.remember(streamId, decider, {
      state: foldRecorded(decider, decider.initialState(), recorded),
      revision: recorded.length - 1,
      position: recorded.at(-1)?.position ?? null,
    });
  }

  /** Keeps a state the store just accepted; most recently used last, the oldest goes when full. */
  remember<S, E extends DomainEvent>(streamId: string, decider: Folder<S, E>, entry: StreamState<S>): StreamState<S> {
    this.streams.set(streamId, { ...entry, decider });
    return entry;
  }

  /** After a failure other than a conflict: the next command starts from the store. */
  forget(streamId: string): void {
    this.streams.delete(streamId);
  }
}

/** Folds stored events with a decider's evolve. */
export function foldRecorded<S, E extends DomainEvent>(
  decider: Folder<S, E>,
  initial: S,
  recorded: readonly RecordedEvent[],
): S {
  return fold(decider.evolve, initial, parseStreamEvents<E>(recorded, decider.eventTypes));
}
