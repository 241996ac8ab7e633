import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { hashApiKey } from '../../libs/platform/auth/api-keys';
import { startTestService, TestService, TestResponse } from '../support/test-service';

const PREVIEW = '/v1/sla/preview?severity=A&from=2026-11-14T03:00:00Z&timeZone=UTC';
const bearer = (key: string) => ({ key: null, headers: { authorization: `Bearer ${key}` } });

function expect429(response: TestResponse, detail: RegExp) {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(response.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
  expect(response.body.detail).toMatch(detail);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  return retryAfter;
}

describe('a key file holding only hashes (keyHash)', () => {
  const key = `ct_key_${randomUUID()}`;
  let dir: string;
  let service: TestService;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'casetrail-keyhash-'));
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify([{ name: 'ops-hashed', keyHash: hashApiKey(key), role: 'ops' }]));
    service = await startTestService({ env: { API_KEYS_FILE: file } });
  }, 90_000);
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('authenticates the key whose hash it holds, and nothing else (not the hash itself)', async () => {
    expect((await service.request('GET', PREVIEW, bearer(key))).status).toBe(200);
    expect((await service.request('GET', '/v1/engineers', bearer(key))).status).toBe(403); // ops: the role is the entry's
    expect((await service.request('GET', PREVIEW, bearer(key + 'x'))).status).toBe(401);
    expect((await service.request('GET', PREVIEW, bearer(hashApiKey(key)))).status).toBe(401);
  });
});

describe('abuse limits shared by two API processes through Redis (same REDIS_PREFIX)', () => {
  const prefix = `ct-test-abuse-${randomUUID().slice(0, 8)}`;
  const RATE = 10;
  let a: TestService;
  let b: TestService;
  beforeAll(async () => {
    // Two services, each with its own embedded store: the limits only need the shared Redis.
    const env = { REDIS_PREFIX: prefix, RATE_LIMIT_PER_SECOND: String(RATE), AUTH_FAILURES_PER_MINUTE: '20' };
    a = await startTestService({ env });
    b = await startTestService({ env });
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('300 wrong keys from one address: 401 up to the threshold, then 429 with Retry-After, on both processes; a valid key still works', async () => {
    const statuses: number[] = [];
    let retryAfter = 0;
    for (let i = 0; i < 300; i++) {
      // Alternating processes: the count of failures is one, kept in Redis.
      const response = await (i % 2 ? b : a).request('GET', PREVIEW, bearer(`guess-${i}-${randomUUID()}`));
      statuses.push(response.status);
      if (response.status === 429)
        retryAfter = expect429(response, /too many failed authentications from this address/);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(280).fill(429));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Only failures are throttled: a valid key from the same address is served by both.
    expect((await a.request('GET', PREVIEW, { key: 'auditor' })).status).toBe(200);
    expect((await b.request('GET', PREVIEW, { key: 'auditor' })).status).toBe(200);
    // A request without a key is not a guess: still a 401 that says what to send.
    expect((await a.request('GET', PREVIEW, { key: null })).status).toBe(401);
    // And a guess is still refused while the minute lasts.
    expect429(await b.request('GET', PREVIEW, bearer('one-more-guess-000000')), /failed authentications/);
  }, 120_000);

  it('the rate limit of a key is one bucket for both processes: together they allow at most burst + rate x elapsed', async () => {
    const started = performance.now();
    // 100 concurrent requests with one key, half to each process. Per-process buckets would
    // allow 2 x burst (40) plus 2 x rate x elapsed; one shared bucket allows burst (20) + rate x elapsed.
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        (i % 2 ? b : a).request('GET', PREVIEW, { key: 'ops' }).then((r) => ({ r, via: i % 2 ? 'b' : 'a' })),
      ),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const allowed = responses.filter(({ r }) => r.status === 200).length;
    const limited = responses.filter(({ r }) => r.status === 429);
    expect(allowed + limited.length).toBe(100); // nothing else, no 500
    expect(allowed).toBeGreaterThanOrEqual(2 * RATE); // the burst
    expect(allowed).toBeLessThanOrEqual(2 * RATE + Math.ceil(RATE * elapsedS) + 1);
    expect(new Set(limited.map(({ via }) => via))).toEqual(new Set(['a', 'b']));
    for (const { r } of limited.slice(0, 3))
      expect(expect429(r, /too many requests for this key/)).toBeGreaterThanOrEqual(1);
    // Another key has a bucket of its own.
    expect((await b.request('GET', PREVIEW, { key: 'support' })).status).toBe(200);

    // The buckets live in Redis under the deployment's prefix.
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      expect(await redis.exists(`${prefix}:throttle:key:ops-1`)).toBe(1);
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});
