import { uuidv7 } from '../ids/uuid-v7';
import { idempotentId } from '../idempotency/idempotent-id';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { Decider, DecideContext, DomainEvent, fold } from '../../domain/shared/decider';
import { EventStore, NewEvent, RecordedEvent } from '../../event-store/event-store';
import { WrongExpectedRevisionError } from '../../event-store/event-store.errors';
import { Clock } from '../clock/clock';
import { ProblemError } from '../http/problem';
import { EVENT_STORE } from '../tokens';
import { CommandMetadata } from './command-metadata';
import { commandDuration } from '../metrics/command-metrics';
import { JsonLogger } from '../logging/json-logger';
import { toProblem } from '../http/problem-details.filter';

export interface CommandOutcome<S, E> {
  /** The aggregate's state after the command. */
  readonly state: S;
  /** The events this command wrote ([] when the decision was to do nothing). */
  readonly events: E[];
  /** The stream's revision after the command (-1: the stream does not exist). */
  readonly revision: number;
  /** The global position of the last event written, or of the stream's last event if none was. */
  readonly position: string | null;
}

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

/** How many streams' states the runner keeps (a case's state is a few kB). */
const STATE_CACHE_LIMIT = 10_000;

interface CachedStream<S> {
  readonly decider: object;
  readonly state: S;
  readonly revision: number;
  readonly position: string | null;
}
const retryPause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(2 * attempt, 25)));

/**
 * Runs one command through a decider: read the stream (or take its cached state), fold it, decide
 * with the current time, append with the expected revision. Without If-Match a concurrent write makes it read and decide
 * again (bounded); with If-Match a stale revision is a 412 and nothing is written.
 */
@Injectable()
export class DeciderCommandRunner {
  /** Recently decided streams' states, so a command usually costs one round trip (the append). */
  private readonly cache = new Map<string, CachedStream<unknown>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
    @Optional() private readonly logger?: JsonLogger,
  ) {}

  async run<C, E extends DomainEvent, S, X extends DecideContext>(request: CommandRequest<C, E, S, X>): Promise<CommandOutcome<S, E>> {
    const started = performance.now();
    const type = (request.command as { type?: string }).type ?? 'unknown';
    try {
      const outcome = await this.decideAndAppend(request);
      commandDuration.observe({ command: type, outcome: 'ok' }, (performance.now() - started) / 1000);
      return outcome;
    } catch (error) {
      this.notRun(type, request.streamId, request.metadata, error, started);
      throw error;
    }
  }

  /**
   * A command that did not run (also one refused before it reaches run(), e.g. a submission
   * checked before its reference is reserved): observed as refused (4xx: the rules, a stale
   * If-Match, an unknown case) with one domain log line, or as failed (5xx: a lost database,
   * logged where it is answered).
   */
  notRun(type: string, streamId: string, metadata: CommandMetadata, error: unknown, started: number): void {
    const problem = toProblem(error);
    const outcome = problem.status < 500 ? 'refused' : 'failed';
    commandDuration.observe({ command: type, outcome }, (performance.now() - started) / 1000);
    if (outcome !== 'refused') return;
    this.logger?.event('info', 'command refused', {
      domain: 'command',
      command: type,
      streamId,
      status: problem.status,
      reason: problem.detail ?? problem.title,
      keyName: metadata.principal?.name ?? null,
      correlationId: metadata.correlationId,
    }, 'Commands');
  }

  private async decideAndAppend<C, E extends DomainEvent, S, X extends DecideContext>(
    request: CommandRequest<C, E, S, X>,
  ): Promise<CommandOutcome<S, E>> {
    const { decider, streamId, command, metadata } = request;
    // A cached state may be behind the store (another process wrote). Acting on it is safe: the
    // append expects its revision, so a stale decision can only fail with a conflict. Any other
    // answer (a refusal, a 412, nothing to do) is only given on a state just read from the store.
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      const current = await this.current(decider, streamId, fresh);
      const { state, revision } = current;
      const now = this.clock.nowIso();
      let events: E[];
      try {
        // Access first: a caller who may not see the stream learns nothing from its revision.
        request.authorize?.(state);
        if (metadata.expectedRevision !== undefined && metadata.expectedRevision !== revision) {
          throw staleRevision(metadata.expectedRevision, revision);
        }
        const extra = request.context ? await request.context(state) : {};
        events = decider.decide(command, state, { ...extra, now } as X);
      } catch (error) {
        if (fresh) {
          const earlier = await this.earlierRun(decider, streamId, metadata);
          if (earlier) return earlier;
          throw error;
        }
        fresh = true;
        continue;
      }
      if (events.length === 0) {
        if (!fresh) {
          fresh = true;
          continue;
        }
        return (await this.earlierRun(decider, streamId, metadata)) ?? { state, events, revision, position: current.position };
      }
      try {
        const result = await this.store.append(
          streamId,
          events.map((event, index) => toNewEvent(event, index, streamId, revision, now, metadata)),
          revision < 0 ? 'no_stream' : revision,
        );
        if (result.duplicate) {
          // A retried request (same Idempotency-Key): the stream holds the first answer's events.
          const stored = await this.current(decider, streamId, true);
          const earlier = await this.earlierRun(decider, streamId, metadata);
          return earlier ?? { state: stored.state, events, revision: result.nextRevision, position: result.position };
        }
        const next = events.reduce(decider.evolve, state);
        this.remember(streamId, { decider, state: next, revision: result.nextRevision, position: result.position });
        return { state: next, events, revision: result.nextRevision, position: result.position };
      } catch (error) {
        // A conflict leaves the cached state a true prefix of the stream (see current); any other
        // failure drops it, to start from the store.
        if (!(error instanceof WrongExpectedRevisionError)) {
          this.cache.delete(streamId);
          throw error;
        }
        if (metadata.expectedRevision !== undefined) throw staleRevision(metadata.expectedRevision, error.actual);
        if (attempt >= MAX_ATTEMPTS) throw error;
        fresh = true;
        await retryPause(attempt);
      }
    }
  }

  /**
   * The stream's state: from the cache, or (when `fresh` or not cached) from the store. A cached
   * state is always the fold of the stream's first events exactly (it was read from the store or
   * built from an append the store accepted, and stored events never change), so `fresh` reads
   * only the events after it: after a conflict that is the other writer's one or two events, not
   * the case's whole history again.
   */
  private async current<S>(decider: Pick<Decider<never, never, S>, 'evolve' | 'initialState'>, streamId: string, fresh: boolean): Promise<CachedStream<S>> {
    const hit = this.cache.get(streamId) as CachedStream<S> | undefined;
    if (hit && hit.decider === decider) {
      if (!fresh) return hit;
      const newer = await this.store.readStream(streamId, { fromRevision: hit.revision + 1 });
      const caughtUp: CachedStream<S> = {
        decider,
        state: fold(decider.evolve as (s: S, e: DomainEvent) => S, hit.state, newer as unknown as DomainEvent[]),
        revision: hit.revision + newer.length,
        position: newer.at(-1)?.position ?? hit.position,
      };
      this.remember(streamId, caughtUp);
      return caughtUp;
    }
    const recorded = await this.store.readStream(streamId);
    const entry: CachedStream<S> = {
      decider,
      state: fold(decider.evolve as (s: S, e: DomainEvent) => S, decider.initialState(), recorded as unknown as DomainEvent[]),
      revision: recorded.length - 1,
      position: recorded.at(-1)?.position ?? null,
    };
    this.remember(streamId, entry);
    return entry;
  }

  /**
   * A request with an Idempotency-Key whose events the stream already holds: its first run stored
   * them, then its process died before the answer was recorded, and this retry took the key over.
   * Deciding again on the state those events made would refuse it (a case is not submitted or
   * resolved twice) or do nothing; the answer is what the first run did: its events, and the
   * state and revision right after them (also when deciding again wrote nothing because the
   * store recognised the ids: the answer is the first run's, not today's state). Only asked when
   * a keyed command is refused, does nothing or is a duplicate, so only those pay a stream read.
   */
  private async earlierRun<E extends DomainEvent, S>(
    decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>,
    streamId: string,
    metadata: CommandMetadata,
  ): Promise<CommandOutcome<S, E> | null> {
    const firstId = idempotentId(metadata, streamId, '0');
    if (!firstId) return null;
    const recorded = await this.store.readStream(streamId);
    const first = recorded.findIndex((e) => e.id === firstId);
    if (first < 0) return null;
    let last = first;
    while (last + 1 < recorded.length && recorded[last + 1].id === idempotentId(metadata, streamId, String(last + 1 - first))) last++;
    const upTo = recorded.slice(0, last + 1) as unknown as E[];
    return {
      state: fold(decider.evolve, decider.initialState(), upTo),
      events: recorded.slice(first, last + 1).map((e) => ({ type: e.type, data: e.data }) as unknown as E),
      revision: recorded[last].revision,
      position: recorded[last].position,
    };
  }

  /** Most recently used last; the oldest goes when the cache is full. */
  private remember(streamId: string, entry: CachedStream<unknown>): void {
    this.cache.delete(streamId);
    this.cache.set(streamId, entry);
    if (this.cache.size > STATE_CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
  }

  /** The stream's events, folded: for reads that must be current (GET /v1/cases/{id}). */
  async load<E extends DomainEvent, S>(
    decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>,
    streamId: string,
  ): Promise<{ state: S; revision: number; events: RecordedEvent[] }> {
    const events = await this.store.readStream(streamId);
    return {
      state: fold(decider.evolve, decider.initialState(), events as unknown as E[]),
      revision: events.length - 1,
      events,
    };
  }
}

function staleRevision(expected: number, actual: number | null): ProblemError {
  return ProblemError.of(412, `If-Match names revision ${expected}, but the case is at revision ${actual ?? 'a newer one'}`, {
    currentRevision: actual,
  });
}

function toNewEvent(
  event: DomainEvent,
  index: number,
  streamId: string,
  revision: number,
  now: string,
  metadata: CommandMetadata,
): NewEvent {
  return {
    // With an Idempotency-Key, a retried request derives the same ids, so the store ignores it
    // (and another request with the key derives others, see idempotentId).
    // Otherwise time-ordered ids: the store's unique index on them grows like a sequence.
    id: idempotentId(metadata, streamId, String(index)) ?? uuidv7(),
    type: event.type,
    data: event.data as Record<string, unknown>,
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
