import { Decider, DecideContext, DomainEvent, fold } from './decider';

/**
 * Emmett-style specification helper:
 *   spec(decider).given([...events]).when(command, context).then([...events])
 *   ... .thenThrows(IllegalStateError, /message/)
 * The context defaults to a fixed instant so specs never read the real clock.
 */
export const FIXED_NOW = '2026-11-23T10:00:00.000Z';

export function spec<C, E extends DomainEvent, S, X extends DecideContext>(
  decider: Decider<C, E, S, X>,
  defaultContext: X = { now: FIXED_NOW } as X,
) {
  return {
    given(events: E[]) {
      return {
        when(command: C, context: Partial<X> = {}) {
          const run = () =>
            decider.decide(command, fold(decider.evolve, decider.initialState(), events), {
              ...defaultContext,
              ...context,
            });
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            /** Matches a subset of the emitted events' fields, in order. */
            thenMatches(expected: Array<Partial<E> | Record<string, unknown>>) {
              const actual = run();
              expect(actual).toHaveLength(expected.length);
              expected.forEach((e, i) => expect(actual[i]).toMatchObject(e));
            },
            thenNothing() {
              expect(run()).toEqual([]);
            },
            thenThrows(errorType: new (...args: never[]) => Error, message?: RegExp | string) {
              expect(run).toThrow(errorType);
              if (message) expect(run).toThrow(message);
            },
          };
        },
      };
    },
  };
}
