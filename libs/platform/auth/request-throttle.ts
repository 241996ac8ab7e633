import { once } from 'node:events';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { SERVICE_PARTS, ServiceParts } from '../config/service-parts';
import { JsonLogger } from '../logging/json-logger';
import { RedisConnection } from '../redis/redis-connection';
import { FailureWindow } from './failure-window';
import { RateLimiter } from './rate-limiter';

/**
 * A token bucket per API key, atomic in Redis so that every API process takes from the same
 * bucket. Redis's clock (TIME) refills it, so the processes' clocks need not agree. Returns the
 * milliseconds to wait (0: allowed).
 */
const TOKEN_BUCKET = `
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then tokens = capacity; at = now end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * rate / 1000)
  at = now
end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
return wait
`;

/** Failures per address in a fixed window: returns {failures so far, milliseconds left in the window}. */
const FAILURE_WINDOW = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;

const FAILURE_WINDOW_MS = 60_000;
/** A Redis that does not answer within this is treated as down (a rate limit must not add seconds). */
const REDIS_TIMEOUT_MS = 1_000;
/** After a Redis error, how long to use the in-process limits before trying Redis again. */
const REDIS_RETRY_MS = 1_000;

type Scripted = Redis & {
  ctTokenBucket(key: string, rate: number, capacity: number): Promise<number>;
  ctFailureWindow(key: string, windowMs: number): Promise<[number, number]>;
};

/**
 * The request limits, shared by every API process through Redis (keys under REDIS_PREFIX):
 * RATE_LIMIT_PER_SECOND per API key (bursts of twice that) and AUTH_FAILURES_PER_MINUTE failed
 * authentications per client address. Both return the seconds a client should wait (0: go on).
 *
 * Redis down, slow or not yet connected: the request is never failed for it. Each process then
 * enforces the same limits on its own (in memory), so the effective limit is at most the number of
 * API processes times the configured one; the switch is logged once each way.
 */
@Injectable()
export class RequestThrottle implements OnModuleInit {
  private redisClient?: Scripted;
  private readonly localKeys: RateLimiter;
  private readonly localFailures: FailureWindow;
  private skipRedisUntil = 0;
  private degraded = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SERVICE_PARTS) private readonly parts: ServiceParts,
    private readonly redis: RedisConnection,
    private readonly logger: JsonLogger,
  ) {
    this.localKeys = new RateLimiter(config.rateLimitPerSecond);
    this.localFailures = new FailureWindow(config.authFailuresPerMinute, FAILURE_WINDOW_MS);
  }

  /** An application serving the API connects at start (one without connects on its first authenticated request, if any). */
  async onModuleInit(): Promise<void> {
    if (!this.parts.api || !(this.config.rateLimitPerSecond > 0 || this.config.authFailuresPerMinute > 0)) return;
    const client = this.client();
    if (client.status === 'ready') return;
    const timeout = new Promise((resolve) => setTimeout(resolve, 2_000).unref());
    await Promise.race([once(client, 'ready').catch(() => undefined), timeout]);
  }

  /** One request of an authenticated key: 0, or the seconds to wait. */
  async takeForKey(name: string): Promise<number> {
    const rate = this.config.rateLimitPerSecond;
    if (!(rate > 0)) return 0;
    const waitMs = await this.viaRedis((client) => client.ctTokenBucket(this.key('key', name), rate, rate * 2));
    if (waitMs === undefined) return this.localKeys.take(name);
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  /** One failed authentication from an address: 0 while under the limit, else the seconds to wait. */
  async recordFailure(address: string): Promise<number> {
    const limit = this.config.authFailuresPerMinute;
    if (!(limit > 0)) return 0;
    const reply = await this.viaRedis((client) =>
      client.ctFailureWindow(this.key('auth-failures', address), FAILURE_WINDOW_MS),
    );
    if (reply === undefined) return this.localFailures.fail(address);
    const [failures, ttlMs] = reply.map(Number);
    if (failures <= limit) return 0;
    const wait = Math.max(1, Math.ceil(ttlMs / 1000));
    // Once per address and window for the whole deployment: only one request sees this count.
    if (failures === limit + 1) {
      this.logger.event(
        'warn',
        'failed authentications: address throttled',
        { address, failures, limitPerMinute: limit, retryAfterSeconds: wait },
        'RequestThrottle',
      );
    }
    return wait;
  }

  private key(kind: string, id: string): string {
    return `${this.config.redisPrefix}:throttle:${kind}:${id}`;
  }

  /** The script's answer, or undefined when Redis cannot answer now (then the caller counts in memory). */
  private async viaRedis<T>(run: (client: Scripted) => Promise<T>): Promise<T | undefined> {
    const client = this.client();
    // Not connected (down, reconnecting): do not queue the command behind a reconnect.
    if (client.status !== 'ready' || performance.now() < this.skipRedisUntil)
      return this.fallBack('Redis is not connected');
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
      });
      const result = await Promise.race([run(client), timedOut]);
      if (this.degraded) {
        this.degraded = false;
        this.logger.event(
          'info',
          'request limits: Redis is back; limits are shared by every API process again',
          {},
          'RequestThrottle',
        );
      }
      return result;
    } catch (error) {
      this.skipRedisUntil = performance.now() + REDIS_RETRY_MS;
      return this.fallBack((error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  private fallBack(reason: string): undefined {
    if (!this.degraded) {
      this.degraded = true;
      this.logger.event(
        'warn',
        'request limits: Redis cannot be used; each API process enforces the limits on its own until it is back',
        { reason },
        'RequestThrottle',
      );
    }
    return undefined;
  }

  private client(): Scripted {
    if (!this.redisClient) {
      const client = this.redis.client();
      client.defineCommand('ctTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET });
      client.defineCommand('ctFailureWindow', { numberOfKeys: 1, lua: FAILURE_WINDOW });
      this.redisClient = client as Scripted;
    }
    return this.redisClient;
  }
}
