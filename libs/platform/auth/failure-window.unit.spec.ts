import { FailureWindow } from './failure-window';

describe('FailureWindow (the in-process failed-authentication throttle)', () => {
  it('allows `limit` failures per address and window, then answers the seconds left', () => {
    let now = 0;
    const window = new FailureWindow(3, 60_000, () => now);
    expect([1, 2, 3].map(() => window.fail('10.0.0.1'))).toEqual([0, 0, 0]);
    now = 15_000;
    expect(window.fail('10.0.0.1')).toBe(45);
    expect(window.fail('10.0.0.2')).toBe(0); // another address has its own window
    now = 60_000; // the window is over
    expect(window.fail('10.0.0.1')).toBe(0);
  });

  it('a limit of 0 never throttles', () => {
    const window = new FailureWindow(0, 60_000, () => 0);
    expect(Array.from({ length: 100 }, () => window.fail('a')).every((wait) => wait === 0)).toBe(true);
  });

  it('tracks a bounded number of addresses', () => {
    let now = 0;
    const window = new FailureWindow(1, 1_000, () => now, 100);
    for (let i = 0; i < 1_000; i++) window.fail(`a${i}`);
    expect((window as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
    now = 10;
    window.fail('last');
    expect(window.fail('last')).toBe(1); // still counted correctly
  });
});
