import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subscriber } from 'rxjs';
import { AppConfig, APP_CONFIG } from '../platform/config/app-config';
import { JsonLogger } from '../platform/logging/json-logger';
import { sseConnections, sseConnectionsTotal } from '../platform/metrics/command-metrics';
import { AlertsQueryService, StoredAlert } from './alerts.query';

/** How often the shared poll reads new alerts. */
export const ALERT_FEED_POLL_MS = 200;
/** After a failed read: the streams stay open and the poll tries again this much later. */
const RETRY_MS = 1_000;
const PAGE = 500;

interface Connection {
  readonly kind?: string;
  /** The last alert sent (or skipped at the start): only later ones go out. null: "now", not known yet. */
  lastSent: number | null;
  /** Live alerts that arrived while this connection was still reading its backlog. */
  buffer: StoredAlert[] | null;
  readonly out: Subscriber<StoredAlert>;
}

/**
 * The live alert feed of this process: ONE poll of the alerts read model (only while somebody
 * listens) fanned out to every open stream by its kind filter, instead of a query loop per
 * connection. A stream that resumes (Last-Event-ID) reads what it missed once, by itself, then
 * joins the shared feed; alerts the feed brings meanwhile wait in its buffer, and an alert is
 * never sent twice nor skipped (each stream keeps the last sequence it sent).
 *
 * Also caps the open streams per API key (SSE_MAX_PER_KEY, per process).
 */
@Injectable()
export class AlertFeedService implements OnModuleDestroy {
  /** Queries the shared poll has issued (observable by tests: one per interval, whatever the number of streams). */
  pollQueries = 0;
  /** Queries issued to read resuming streams' backlogs. */
  backlogQueries = 0;
  private readonly connections = new Set<Connection>();
  private readonly openPerKey = new Map<string, number>();
  /** The last sequence the shared poll has read; null: not known (the poll is not running). */
  private cursor: number | null = null;
  private running = false;
  private timer?: NodeJS.Timeout;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly alerts: AlertsQueryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: JsonLogger,
  ) {}

  get maxPerKey(): number {
    return this.config.sseMaxPerKey;
  }

  /** The number of open streams (all keys). */
  get openStreams(): number {
    return this.connections.size;
  }

  /**
   * Takes one of the key's stream slots: a release function (safe to call twice), or null when
   * the key already holds SSE_MAX_PER_KEY streams.
   */
  reserve(keyName: string): (() => void) | null {
    const open = this.openPerKey.get(keyName) ?? 0;
    if (this.config.sseMaxPerKey > 0 && open >= this.config.sseMaxPerKey) {
      sseConnectionsTotal.inc({ outcome: 'refused' });
      return null;
    }
    this.openPerKey.set(keyName, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.openPerKey.get(keyName) ?? 1) - 1;
      if (left > 0) this.openPerKey.set(keyName, left);
      else this.openPerKey.delete(keyName);
    };
  }

  /** The alerts of one stream, oldest first: after `lastEventId` when resuming, else from now. */
  stream(kind: string | undefined, lastEventId: number | null): Observable<StoredAlert> {
    return new Observable<StoredAlert>((out) => {
      const connection: Connection = {
        kind,
        lastSent: lastEventId ?? this.cursor,
        buffer: lastEventId === null ? null : [],
        out,
      };
      this.connections.add(connection);
      sseConnections.inc();
      sseConnectionsTotal.inc({ outcome: 'opened' });
      this.ensurePolling();
      if (lastEventId !== null) void this.readBacklog(connection);
      return () => {
        if (this.connections.delete(connection)) sseConnections.dec();
      };
    });
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    // Ends every stream, so that closing the HTTP server does not wait for them.
    for (const connection of this.connections) connection.out.complete();
    sseConnections.dec(this.connections.size);
    this.connections.clear();
  }

  private async readBacklog(connection: Connection): Promise<void> {
    try {
      for (;;) {
        this.backlogQueries++;
        const page = await this.alerts.after(connection.lastSent ?? 0, connection.kind, PAGE);
        if (!this.connections.has(connection)) return;
        for (const stored of page) this.send(connection, stored);
        if (page.length < PAGE) break;
      }
    } catch (error) {
      // This stream only: it closes, and its client resumes with Last-Event-ID.
      connection.out.error(error);
      return;
    }
    const buffered = connection.buffer ?? [];
    connection.buffer = null;
    for (const stored of buffered) this.send(connection, stored);
  }

  private ensurePolling(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.timer = setTimeout(() => void this.poll(), 0);
  }

  private async poll(): Promise<void> {
    if (this.connections.size === 0 || this.stopped) return this.idle();
    let delay = ALERT_FEED_POLL_MS;
    try {
      this.pollQueries++;
      if (this.cursor === null) {
        this.cursor = await this.alerts.lastSeq();
        // Streams that started "now" before the feed knew where now was.
        for (const connection of this.connections) if (connection.lastSent === null) connection.lastSent = this.cursor;
      } else {
        const page = await this.alerts.after(this.cursor, undefined, PAGE);
        for (const stored of page) {
          this.cursor = stored.seq;
          for (const connection of this.connections) {
            if (connection.buffer) connection.buffer.push(stored);
            else this.send(connection, stored);
          }
        }
        if (page.length === PAGE) delay = 0; // more are waiting
      }
      if (this.failing) {
        this.failing = false;
        this.logger.event('info', 'alert feed: the alerts read model answers again', {}, 'AlertFeed');
      }
    } catch (error) {
      // The streams stay open; nothing is lost, the cursor did not move.
      delay = RETRY_MS;
      if (!this.failing) {
        this.failing = true;
        this.logger.event(
          'warn',
          'alert feed: cannot read the alerts read model; retrying',
          { error: (error as Error).message },
          'AlertFeed',
        );
      }
    }
    if (this.connections.size === 0 || this.stopped) return this.idle();
    this.timer = setTimeout(() => void this.poll(), delay);
  }

  /** Nobody listens: no queries until somebody does (then "now" is read again). */
  private idle(): void {
    this.running = false;
    this.cursor = null;
  }

  private send(connection: Connection, stored: StoredAlert): void {
    if (connection.kind !== undefined && stored.alert.kind !== connection.kind) return;
    if (connection.lastSent !== null && stored.seq <= connection.lastSent) return;
    connection.lastSent = stored.seq;
    connection.out.next(stored);
  }
}
