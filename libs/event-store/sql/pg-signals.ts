import { randomBytes } from 'node:crypto';
import { Client, ClientConfig, Pool } from 'pg';
import { SqlSignals } from './sql-client';

/**
 * The channel of a topic in this connection's schema: `ct_<topic>_<16 hex of md5(schema)>`.
 * Deployments and test runs sharing one database in separate schemas never hear each other, and
 * the name stays within PostgreSQL's 63 bytes whatever the schema is called.
 */
const CHANNEL_SQL = "'ct_' || $1::text || '_' || left(md5(coalesce(current_schema(), '')), 16)";

/** How often the LISTEN connection is checked (a dropped network sends no "end"). */
const HEARTBEAT_MS = 10_000;

/**
 * PostgreSQL LISTEN/NOTIFY for SqlSignals. Publishing is a NOTIFY sent from the pool after the
 * append has committed (not inside ct_append: a NOTIFY in a transaction takes a database-wide
 * lock at commit, and it would serialise every append's commit; measured in BENCHMARKS.md), and
 * coalesced: while one NOTIFY of a topic is in flight, any number of publishes make ONE more
 * after it. Listening is one dedicated connection per client, opened at the first subscribe;
 * when it is lost it is opened again with a back-off, LISTENs again, and then wakes every
 * listener once, so that what was published while it was down is read (nothing is lost, only
 * delayed, and meanwhile `healthy` is false so the subscribers poll at their fast rate).
 */
export class PgSignals implements SqlSignals {
  /** This client's publishes carry it: its own LISTEN ignores them (publish woke its listeners already). */
  private readonly token = randomBytes(6).toString('hex');
  private readonly listeners = new Map<string, Set<() => void>>();
  /** channel -> topic, for the LISTEN connection's notifications. */
  private readonly channels = new Map<string, string>();
  private readonly listened = new Set<string>();
  private readonly publishing = new Map<string, 'busy' | 'again'>();
  private client: Client | null = null;
  /** The connection being opened. */
  private opening: Client | null = null;
  private syncing: Promise<void> = Promise.resolve();
  private failures = 0;
  private retry: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly config: ClientConfig,
  ) {}

  publish(topic: string): void {
    if (this.closed) return;
    this.fire(topic);
    if (this.publishing.has(topic)) {
      this.publishing.set(topic, 'again');
      return;
    }
    this.publishing.set(topic, 'busy');
    const send = (): Promise<void> =>
      this.pool
        .query(`select pg_notify(${CHANNEL_SQL}, $2)`, [checkTopic(topic), this.token])
        .then(
          () => undefined,
          () => undefined, // a lost hint only delays the others until their poll
        )
        .then(() => {
          if (this.publishing.get(topic) === 'again' && !this.closed) {
            this.publishing.set(topic, 'busy');
            return send();
          }
          this.publishing.delete(topic);
        });
    void send();
  }

  subscribe(topic: string, listener: () => void): () => void {
    checkTopic(topic);
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    if (this.client) this.sync(this.client);
    else if (!this.opening && !this.retry) void this.connect();
    return () => set.delete(listener);
  }

  /** The LISTEN connection's server process id (tests, diagnostics); null while it is down. */
  get listenerPid(): number | null {
    // pg sets `processID` on connect; @types/pg does not declare it.
    const client: (Client & { processID?: number }) | null = this.client;
    return client?.processID ?? null;
  }

  healthy(topic: string): boolean {
    return this.client !== null && this.listened.has(topic);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.heartbeat) clearInterval(this.heartbeat);
    const clients = [this.client, this.opening];
    this.client = this.opening = null;
    for (const client of clients) await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ ...this.config, application_name: 'casetrail-listen' });
    this.opening = client;
    // Without an 'error' listener a lost connection would crash the process.
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    client.on('notification', (message) => {
      if (message.payload === this.token) return;
      const topic = this.channels.get(message.channel);
      if (topic) this.fire(topic);
    });
    try {
      await client.connect();
      if (this.opening !== client) return; // dropped meanwhile
      this.opening = null;
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.failures = 0;
      this.heartbeat ??= setInterval(() => void this.check(), HEARTBEAT_MS).unref();
      this.sync(client);
      await this.syncing;
    } catch {
      this.dropped(client);
    }
  }

  /** LISTENs to every topic not listened to yet; a new topic's listeners are woken once after. */
  private sync(client: Client): void {
    this.syncing = this.syncing.then(async () => {
      for (const topic of [...this.listeners.keys()]) {
        if (this.listened.has(topic) || this.client !== client) continue;
        try {
          const { rows } = await client.query<{ channel: string }>(`select ${CHANNEL_SQL} as channel`, [topic]);
          this.channels.set(rows[0].channel, topic);
          await client.query(`listen "${rows[0].channel}"`);
          this.listened.add(topic);
        } catch {
          this.dropped(client);
          return;
        }
        // Anything published before the LISTEN took effect is read now.
        this.fire(topic);
      }
    });
  }

  /** The LISTEN connection ended or failed: open a new one after a back-off. */
  private dropped(client: Client): void {
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    const wasUp = this.client === client;
    if (wasUp) this.client = null;
    else if (this.opening === client) this.opening = null;
    else return; // an old connection's late event
    this.listened.clear();
    // Hints may be lost until it is back: wake everyone now, so that they poll at their fast rate.
    if (wasUp && !this.closed) for (const topic of this.listeners.keys()) this.fire(topic);
    if (this.closed || this.retry) return;
    this.failures++;
    this.retry = setTimeout(
      () => {
        this.retry = null;
        void this.connect();
      },
      Math.min(100 * 2 ** this.failures, 5000),
    );
    this.retry.unref();
  }

  private async check(): Promise<void> {
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('LISTEN connection did not answer')), HEARTBEAT_MS / 2);
    });
    try {
      await Promise.race([client.query('select 1'), timeout]);
    } catch {
      this.dropped(client);
    } finally {
      clearTimeout(timer);
    }
  }

  private fire(topic: string): void {
    for (const listener of this.listeners.get(topic) ?? []) {
      try {
        listener();
      } catch {
        // a listener's failure is its own; the others are still woken
      }
    }
  }
}

function checkTopic(topic: string): string {
  if (!/^[a-z]{1,20}$/.test(topic)) throw new Error(`signal topics are short lowercase words, got "${topic}"`);
  return topic;
}
