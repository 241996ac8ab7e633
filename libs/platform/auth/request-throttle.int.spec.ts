import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { PrivateRedis, startPrivateRedis } from '../../../test/support/private-servers';
import { loadConfig } from '../config/app-config';
import { JsonLogger } from '../logging/json-logger';
import { RedisConnection } from '../redis/redis-connection';
import { RequestThrottle } from './request-throttle';

async function waitFor(probe: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('RequestThrottle on a real Redis (shared limits, Redis down and back)', () => {
  // A private Redis: this test stops it, which the shared one must never be.
  let redis: PrivateRedis;
  const connections: RedisConnection[] = [];
  const prefix = `ct-test-throttle-${randomUUID().slice(0, 8)}`;
  const throttle = () => {
    const config = loadConfig(
      {
        REDIS_URL: redis.url,
        REDIS_PREFIX: prefix,
        RATE_LIMIT_PER_SECOND: '1',
        AUTH_FAILURES_PER_MINUTE: '3',
      },
      [],
    );
    const connection = new RedisConnection(config.redisUrl, config.redisPrefix);
    connections.push(connection);
    return new RequestThrottle(
      { ...config, role: 'api' },
      { api: true, consumers: false },
      connection,
      new JsonLogger('error'),
    );
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
    await redis.stop();
  });

  it('two processes take from one bucket and count failures together; without Redis each limits alone, without errors; then shares again', async () => {
    const a = throttle();
    const b = throttle();
    await a.onModuleInit();
    await b.onModuleInit();

    // Burst of 2 (rate 1/s) for the key, whichever process serves it: one shared bucket allows at
    // most 2 + 1 a second; a bucket per process would allow 4 at once.
    let started = performance.now();
    const takes: number[] = [];
    for (let i = 0; i < 6; i++) takes.push(await (i % 2 ? b : a).takeForKey('ops-1'));
    expect(takes.slice(0, 2)).toEqual([0, 0]);
    expect(takes.filter((wait) => wait === 0).length).toBeLessThanOrEqual(
      2 + Math.ceil((performance.now() - started) / 1000),
    );
    expect(takes.filter((wait) => wait > 0).every((wait) => wait >= 1)).toBe(true);
    expect(await b.takeForKey('support-1')).toBe(0); // a bucket per key
    // 3 failures a minute per address, counted across both.
    const failures = [
      await a.recordFailure('10.1.1.1'),
      await b.recordFailure('10.1.1.1'),
      await a.recordFailure('10.1.1.1'),
      await b.recordFailure('10.1.1.1'),
    ];
    expect(failures.slice(0, 3)).toEqual([0, 0, 0]);
    expect(failures[3]).toBeGreaterThanOrEqual(1);
    expect(failures[3]).toBeLessThanOrEqual(60);
    expect(await a.recordFailure('10.1.1.2')).toBe(0);

    // Redis goes away: no error, no wait; each process enforces the limits in memory.
    await redis.stop();
    started = performance.now();
    const local: number[] = [];
    for (let i = 0; i < 4; i++) local.push(await a.takeForKey('ops-1'));
    expect(local.slice(0, 2)).toEqual([0, 0]); // a's own bucket, full
    expect(local.filter((wait) => wait === 0).length).toBeLessThanOrEqual(
      2 + Math.ceil((performance.now() - started) / 1000),
    );
    expect(await b.takeForKey('ops-1')).toBe(0); // b's own: the processes no longer share
    const localFailures = [1, 2, 3, 4].map(() => 0);
    for (let i = 0; i < 4; i++) localFailures[i] = await b.recordFailure('10.9.9.9');
    expect(localFailures.slice(0, 3)).toEqual([0, 0, 0]);
    expect(localFailures[3]).toBeGreaterThanOrEqual(1);
    expect(performance.now() - started).toBeLessThan(2_000);

    // Redis is back: the limits are shared again (a fresh Redis: full buckets, kept in Redis).
    await redis.start();
    const probe = new Redis(redis.port, '127.0.0.1');
    try {
      await waitFor(async () => {
        await a.takeForKey('manager-1');
        return (await probe.exists(`${prefix}:throttle:key:manager-1`)) === 1;
      });
      await waitFor(async () => {
        await b.recordFailure('10.7.7.7');
        return (await probe.exists(`${prefix}:throttle:auth-failures:10.7.7.7`)) === 1;
      });
    } finally {
      probe.disconnect();
    }
  }, 60_000);
});
