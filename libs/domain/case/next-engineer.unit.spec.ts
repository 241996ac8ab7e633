import { TransferCandidate, nextAvailableEngineer } from './next-engineer';

const c = (
  engineerId: string,
  openSeverityACases: number,
  availability: TransferCandidate['availability'] = 'on-shift',
): TransferCandidate => ({
  engineerId,
  availability,
  openSeverityACases,
});

describe('nextAvailableEngineer', () => {
  it('prefers the fewest open severity-A cases', () => {
    expect(nextAvailableEngineer([c('b', 2), c('a', 5), c('c', 1)], null)?.engineerId).toBe('c');
  });
  it('breaks ties by engineerId ascending, whatever the input order', () => {
    expect(nextAvailableEngineer([c('eng-2', 1), c('eng-10', 1), c('eng-1', 1)], null)?.engineerId).toBe('eng-1');
  });
  it('skips the current engineer and anyone not on shift', () => {
    expect(
      nextAvailableEngineer([c('cur', 0), c('off', 0, 'off-shift'), c('away', 0, 'away'), c('ok', 9)], 'cur')
        ?.engineerId,
    ).toBe('ok');
  });
  it('returns null when nobody qualifies', () => {
    expect(nextAvailableEngineer([c('cur', 0), c('off', 0, 'off-shift')], 'cur')).toBeNull();
    expect(nextAvailableEngineer([], null)).toBeNull();
  });
  it('does not reorder its input', () => {
    const input = [c('b', 1), c('a', 1)];
    nextAvailableEngineer(input, null);
    expect(input.map((x) => x.engineerId)).toEqual(['b', 'a']);
  });
});
