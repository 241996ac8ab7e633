import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst of twice the rate, then one request per 1/rate seconds, per key', () => {
    let now = 0;
    const limiter = new RateLimiter(5, () => now);
    const burst = Array.from({ length: 12 }, () => limiter.take('a'));
    expect(burst.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(burst[10]).toBeGreaterThan(0);
    expect(limiter.take('b')).toBe(0); // another key has its own bucket
    now += 200; // one token refilled at 5/s
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  it('a rate of 0 is unlimited', () => {
    const limiter = new RateLimiter(0, () => 0);
    expect(Array.from({ length: 1000 }, () => limiter.take('a')).every((wait) => wait === 0)).toBe(true);
  });
});
