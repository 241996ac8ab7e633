import { Decider, DomainEvent } from '../../domain/shared/decider';
import { EventStore } from '../../event-store/event-store';
import { CommandMetadata } from './command-metadata';
import { idempotentId } from './command-ids';
import { foldRecorded } from './stream-state-cache';
import { parseStreamEvents } from '../../events/event-parser';
import type { CommandOutcome } from './command-outcome';

/**
 * A request with an Idempotency-Key whose events the stream already holds: its first run stored
 * them, then its process died before the answer was recorded, and this retry took the key over.
 * Deciding again on the state those events made would refuse it (a case is not submitted or
 * resolved twice) or do nothing; the answer is what the first run did: its events, and the
 * state and revision right after them (also when deciding again wrote nothing because the
 * store recognised the ids: the answer is the first run's, not today's state). Only asked when
 * a keyed command is refused, does nothing or is a duplicate, so only those pay a stream read.
 */
export async function earlierRun<E extends DomainEvent, S>(
  store: Pick<EventStore, 'readStream'>,
  decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState' | 'eventTypes'>,
  streamId: string,
  metadata: CommandMetadata,
): Promise<CommandOutcome<S, E> | null> {
  const firstId = idempotentId(metadata, streamId, '0');
  if (!firstId) return null;
  const recorded = await store.readStream(streamId);
  const first = recorded.findIndex((e) => e.id === firstId);
  if (first < 0) return null;
  let last = first;
  while (
    last + 1 < recorded.length &&
    recorded[last + 1].id === idempotentId(metadata, streamId, String(last + 1 - first))
  )
    last++;
  return {
    state: foldRecorded(decider, decider.initialState(), recorded.slice(0, last + 1)),
    events: parseStreamEvents<E>(recorded.slice(first, last + 1), decider.eventTypes),
    revision: recorded[last].revision,
    position: recorded[last].position,
  };
}
