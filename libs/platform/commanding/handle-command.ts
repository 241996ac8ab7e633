import { Inject, Injectable, Optional } from '@nestjs/common';
import { Decider, DecideContext, DomainEvent } from '../../domain/shared/decider';
import { EventStore, NewEvent, RecordedEvent } from '../../event-store/event-store';
import { WrongExpectedRevisionError } from '../../event-store/event-store.errors';
import { Clock } from '../clock/clock';
import { JsonLogger } from '../logging/json-logger';
import { EVENT_STORE } from '../tokens';
import { CommandMetadata } from './command-metadata';
import { StaleRevisionError } from './command-errors';
import { commandEventId } from './command-ids';
import { commandNotRun, commandRan, commandType } from './command-observer';
import { earlierRun } from './earlier-run';
import type { CommandOutcome } from './command-outcome';
export type { CommandOutcome } from './command-outcome';
import { storedData } from '../../events/event-parser';
import { foldRecorded, StreamState, StreamStateCache } from './stream-state-cache';

/** One command for one stream, complete: every outside fact is in `command` or `context`. */
export interface CommandRequest<C, E extends DomainEvent, S, X extends DecideContext> {
  decider: Decider<C, E, S, X>;
  streamId: string;
  command: C;
  metadata: CommandMetadata;
  /** Refuses the caller before anything is decided (e.g. a partner's access to another's case). */
  authorize?: (state: S) => void;
  /** Extra context for the decision (beyond `now`), e.g. the SLA clock calculator. */
  context?: (state: S) => Omit<X, 'now'> | Promise<Omit<X, 'now'>>;
}

/**
 * How many times a command without If-Match is decided again after a concurrent write. Each round
 * one writer of a stream wins; a short random pause spreads the others out, so even dozens of
 * concurrent writers of one case all get through.
 */
const MAX_ATTEMPTS = 50;
const retryPause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(2 * attempt, 25)));

/**
 * The one way a command is handled: load the stream's state (usually from the cache), decide
 * with the current time, append with the expected revision. Without If-Match a concurrent write
 * makes it catch up and decide again (bounded); with If-Match a stale revision is a
 * StaleRevisionError and nothing is written. It knows no HTTP: refusals are the decider's
 * DomainErrors, the caller's `authorize` errors and StaleRevisionError, mapped at the edge.
 */
@Injectable()
export class CommandHandler {
  private readonly states: StreamStateCache;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
    @Optional() private readonly logger?: JsonLogger,
  ) {
    this.states = new StreamStateCache(store);
  }

  async handleCommand<C, E extends DomainEvent, S, X extends DecideContext>(
    request: CommandRequest<C, E, S, X>,
  ): Promise<CommandOutcome<S, E>> {
    const started = performance.now();
    try {
      const outcome = await this.decideAndAppend(request);
      commandRan(commandType(request.command), started);
      return outcome;
    } catch (error) {
      this.notRun(request.command, request.streamId, request.metadata, error, started);
      throw error;
    }
  }

  /** Observes a command that did not run, also one refused before it reached handleCommand (see commandNotRun). */
  notRun(command: unknown, streamId: string, metadata: CommandMetadata, error: unknown, started: number): void {
    commandNotRun(this.logger, commandType(command), streamId, metadata, error, started);
  }

  /** The stream's events, folded: for reads that must be current, and outside facts a command needs. */
  async load<E extends DomainEvent, S>(
    decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState' | 'eventTypes'>,
    streamId: string,
  ): Promise<{ state: S; revision: number; events: RecordedEvent[] }> {
    const events = await this.store.readStream(streamId);
    return { state: foldRecorded(decider, decider.initialState(), events), revision: events.length - 1, events };
  }

  private async decideAndAppend<C, E extends DomainEvent, S, X extends DecideContext>(
    request: CommandRequest<C, E, S, X>,
  ): Promise<CommandOutcome<S, E>> {
    const { decider, streamId, metadata } = request;
    // A cached state may be behind the store. Deciding on it is safe (the append expects its
    // revision, so a stale decision can only conflict), but any other answer (a refusal, a stale
    // If-Match, nothing to do) is only given on a state just caught up with the store.
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      const current = await this.states.current(decider, streamId, fresh);
      const now = this.clock.nowIso();
      let events: E[];
      try {
        events = await this.decide(request, current, now);
      } catch (refusal) {
        if (!fresh) {
          fresh = true;
          continue;
        }
        const earlier = await earlierRun(this.store, decider, streamId, metadata);
        if (earlier) return earlier;
        throw refusal;
      }
      if (events.length === 0) {
        if (!fresh) {
          fresh = true;
          continue;
        }
        return (
          (await earlierRun(this.store, decider, streamId, metadata)) ?? {
            state: current.state,
            events,
            revision: current.revision,
            position: current.position,
          }
        );
      }
      try {
        return await this.append(request, current, events, now);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (metadata.expectedRevision !== undefined)
          throw new StaleRevisionError(metadata.expectedRevision, error.actual);
        if (attempt >= MAX_ATTEMPTS) throw error;
        fresh = true;
        await retryPause(attempt);
      }
    }
  }

  /** Access first (a caller who may not see the stream learns nothing from its revision), then If-Match, then the decider. */
  private async decide<C, E extends DomainEvent, S, X extends DecideContext>(
    request: CommandRequest<C, E, S, X>,
    current: StreamState<S>,
    now: string,
  ): Promise<E[]> {
    request.authorize?.(current.state);
    const expected = request.metadata.expectedRevision;
    if (expected !== undefined && expected !== current.revision)
      throw new StaleRevisionError(expected, current.revision);
    const extra = request.context ? await request.context(current.state) : {};
    return request.decider.decide(request.command, current.state, { ...extra, now } as X);
  }

  /** Appends at the revision decided on; a retried request's events (same ids) are recognised, not written twice. */
  private async append<C, E extends DomainEvent, S, X extends DecideContext>(
    { decider, streamId, metadata }: CommandRequest<C, E, S, X>,
    current: StreamState<S>,
    events: E[],
    now: string,
  ): Promise<CommandOutcome<S, E>> {
    const { revision } = current;
    const newEvents = events.map((event, index) =>
      toNewEvent(event, commandEventId(metadata, streamId, index), revision, now, metadata),
    );
    try {
      const result = await this.store.append(streamId, newEvents, revision < 0 ? 'no_stream' : revision);
      if (result.duplicate) {
        // A retried request (same Idempotency-Key): the stream holds the first answer's events.
        const stored = await this.states.current(decider, streamId, true);
        const earlier = await earlierRun(this.store, decider, streamId, metadata);
        return earlier ?? { state: stored.state, events, revision: result.nextRevision, position: result.position };
      }
      const state = events.reduce(decider.evolve, current.state);
      this.states.remember(streamId, decider, { state, revision: result.nextRevision, position: result.position });
      return { state, events, revision: result.nextRevision, position: result.position };
    } catch (error) {
      // A conflict leaves the cached state a true prefix of the stream; any other failure drops it.
      if (!(error instanceof WrongExpectedRevisionError)) this.states.forget(streamId);
      throw error;
    }
  }
}

function toNewEvent(
  event: DomainEvent,
  id: string,
  revision: number,
  now: string,
  metadata: CommandMetadata,
): NewEvent {
  return {
    id,
    type: event.type,
    data: storedData(event),
    metadata: {
      actor: metadata.principal.name,
      actorRole: metadata.principal.role,
      occurredAt: now,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      expectedRevision: revision,
    },
  };
}
