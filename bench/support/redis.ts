import Redis from 'ioredis';

export function benchRedisUrl(): string {
  return process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

async function withRedis<T>(work: (redis: Redis) => Promise<T>, url = benchRedisUrl()): Promise<T> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key that starts with `prefix` (SCAN + UNLINK: never blocks Redis for long). */
export function deleteKeysPrefixed(prefix: string, url = benchRedisUrl()): Promise<number> {
  return withRedis(async (redis) => {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  }, url);
}

export function redisConfigGet(name: string, url = benchRedisUrl()): Promise<string | null> {
  return withRedis(async (redis) => {
    const reply = (await redis.config('GET', name)) as string[];
    return reply[1] ?? null;
  }, url);
}

export function redisConfigSet(name: string, value: string, url = benchRedisUrl()): Promise<void> {
  return withRedis(async (redis) => {
    await redis.config('SET', name, value);
  }, url);
}

/** Runs `work` with a Redis setting changed for its duration only (restored even when it throws). */
export async function withRedisConfig<T>(name: string, value: string, work: () => Promise<T>): Promise<T> {
  const before = await redisConfigGet(name);
  if (before === null) throw new Error(`Redis refuses CONFIG GET ${name}`);
  await redisConfigSet(name, value);
  try {
    return await work();
  } finally {
    await redisConfigSet(name, before);
  }
}

export function redisInfo(): Promise<Record<string, string>> {
  return withRedis(async (redis) => {
    const server = await redis.info('server');
    const memory = await redis.info('memory');
    const field = (text: string, key: string) => new RegExp(`^${key}:(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
    const settings: Record<string, string> = {};
    for (const name of ['hz', 'maxmemory-policy', 'maxmemory', 'appendonly', 'appendfsync', 'save']) {
      const reply = (await redis.config('GET', name).catch(() => [])) as string[];
      settings[name] = reply[1] ?? '?';
    }
    return { version: field(server, 'redis_version'), usedMemory: field(memory, 'used_memory_human'), ...settings };
  });
}

export function redisUsedMemory(): Promise<number> {
  return withRedis(async (redis) => {
    const memory = await redis.info('memory');
    return Number(/^used_memory:(\d+)/m.exec(memory)?.[1] ?? NaN);
  });
}
