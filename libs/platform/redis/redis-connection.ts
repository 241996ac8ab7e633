import Redis, { RedisOptions } from 'ioredis';

/**
 * The one door to Redis. BullMQ needs its own connections (a blocking worker connection must not
 * be shared), so this hands out new clients configured the same way, and closes them all at the end.
 */
export class RedisConnection {
  private readonly clients = new Set<Redis>();

  constructor(
    readonly url: string,
    readonly prefix: string,
  ) {}

  /** A new client. `forWorker`: BullMQ workers need `maxRetriesPerRequest: null` (they block). */
  client(options: { forWorker?: boolean } = {}): Redis {
    const redisOptions: RedisOptions = {
      // A command waits through at most 3 reconnection attempts, then fails ("max retries per
      // request"): a request that needs Redis answers 503 instead of hanging while it is down.
      maxRetriesPerRequest: options.forWorker ? null : 3,
      enableReadyCheck: true,
      lazyConnect: false,
      // Reconnect forever, every 2 s at most: Redis coming back is noticed within that time, and
      // BullMQ's workers and queues resume on the same clients.
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    };
    const client = new Redis(this.url, redisOptions);
    // Errors surface through commands and the health check; an unhandled 'error' event would crash.
    client.on('error', () => undefined);
    this.clients.add(client);
    client.once('end', () => this.clients.delete(client));
    return client;
  }

  async ping(): Promise<void> {
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2000,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
    } finally {
      probe.disconnect();
    }
  }

  /** Redis's eviction policy: anything but noeviction can silently drop BullMQ's timer jobs. */
  async maxmemoryPolicy(): Promise<string | null> {
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2000,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      const reply = (await probe.config('GET', 'maxmemory-policy')) as string[];
      return reply[1] ?? null;
    } catch {
      return null; // managed Redis services may refuse CONFIG; nothing to report then
    } finally {
      probe.disconnect();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients].map((c) => c.quit().catch(() => c.disconnect())));
    this.clients.clear();
  }
}
