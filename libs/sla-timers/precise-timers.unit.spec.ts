import { PreciseTimers } from './precise-timers';

/** Resolves when `fired` holds `count` ids, or rejects after `timeoutMs` (a generous deadline). */
async function firedWithin(fired: string[], count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (fired.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${fired.length} of ${count} timers fired`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('PreciseTimers', () => {
  const timers: PreciseTimers[] = [];
  const make = (options: { windowMs: number; limit?: number }) => {
    const t = new PreciseTimers(options);
    timers.push(t);
    return t;
  };
  afterEach(() => timers.splice(0).forEach((t) => t.clear()));

  it('holds only timers due within its window, so timers due later never take the places of the next ones', async () => {
    const precise = make({ windowMs: 60_000, limit: 3 });
    const fired: string[] = [];
    const fire = (id: string) => async () => void fired.push(id);
    // Due in days: left to BullMQ, not held (they once filled the bound).
    for (let i = 0; i < 5; i++) expect(precise.hold(`far-${i}`, 86_400_000 * (i + 1), fire(`far-${i}`))).toBe(false);
    expect(precise.size).toBe(0);
    // The next ones are held up to the bound, each once.
    expect(precise.hold('a', 30, fire('a'))).toBe(true);
    expect(precise.hold('a', 30, fire('a'))).toBe(false);
    expect(precise.hold('b', 40, fire('b'))).toBe(true);
    expect(precise.hold('c', 50, fire('c'))).toBe(true);
    expect(precise.hold('d', 50, fire('d'))).toBe(false); // the memory bound
    expect(precise.size).toBe(3);
    await firedWithin(fired, 3);
    expect(fired.sort()).toEqual(['a', 'b', 'c']);
    expect(precise.size).toBe(0);
  });

  it('never holds a timer beyond setTimeout range (it would fire after 1 ms), whatever the window', async () => {
    const precise = make({ windowMs: 40 * 86_400_000 });
    const fired: string[] = [];
    // 26 days: more than 2^31 - 1 ms.
    expect(precise.hold('late', 26 * 86_400_000, async () => void fired.push('late'))).toBe(false);
    expect(precise.hold('soon', 20, async () => void fired.push('soon'))).toBe(true);
    await firedWithin(fired, 1);
    // Give an early 'late' its chance to show up (it fired 1 ms after hold when it was held).
    await new Promise((r) => setTimeout(r, 100));
    expect(fired).toEqual(['soon']);
  });
});
