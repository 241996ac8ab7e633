/**
 * A decider in the Emmett / Jérémie Chassaing sense: pure functions, no I/O, no clock.
 * The current time (and anything else read from outside) arrives in the command's context.
 */
export interface DomainEvent<T extends string = string, D extends object = object> {
  readonly type: T;
  readonly data: D;
}

export interface Decider<C, E extends DomainEvent, S, X = DecideContext> {
  readonly initialState: () => S;
  readonly decide: (command: C, state: S, context: X) => E[];
  readonly evolve: (state: S, event: E) => S;
  /** The event types this decider writes and folds (how a stored stream is read back as E). */
  readonly eventTypes: readonly E['type'][];
}

/** What every decision may know of the outside world: the time, as an ISO-8601 UTC instant. */
export interface DecideContext {
  readonly now: string;
}

export const fold = <E extends DomainEvent, S>(
  evolve: (state: S, event: E) => S,
  initial: S,
  events: readonly E[],
): S => events.reduce(evolve, initial);
