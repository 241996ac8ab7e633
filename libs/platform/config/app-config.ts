import { isAbsolute, resolve } from 'node:path';
import { isEmail } from 'class-validator';

export type EventStoreKind = 'embedded' | 'postgres' | 'eventstoredb';
/** `all` runs the HTTP API and the background work in one process (the only choice on the embedded store). */
export type ProcessRole = 'all' | 'api' | 'worker';

export interface AppConfig {
  readonly port: number;
  readonly role: ProcessRole;
  /**
   * Role `all`: the consumers (projections, SLA timers, alert delivery) run in a worker thread
   * beside the API's (BACKGROUND_THREAD=on, the default), or in the API's own (off).
   */
  readonly backgroundThread: boolean;
  readonly eventStore: EventStoreKind;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly eventStoreConnectionString?: string;
  readonly redisUrl: string;
  /** Prefix of every BullMQ key, so several deployments (or test files) can share one Redis. */
  readonly redisPrefix: string;
  readonly slaPolicyFile?: string;
  readonly apiKeysFile?: string;
  readonly alertWebhooks: string[];
  readonly alertWebhookSecret?: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How often the SLA sweep arms imminent timers and re-creates those Redis lost (SLA_SWEEP_INTERVAL_MS). */
  readonly slaSweepIntervalMs: number;
  /** Requests a second per API key (bursts of twice that), shared by every API process through Redis; 0: unlimited (RATE_LIMIT_PER_SECOND). */
  readonly rateLimitPerSecond: number;
  /** Failed authentications a minute per client address before 429 (AUTH_FAILURES_PER_MINUTE); 0: not throttled. */
  readonly authFailuresPerMinute: number;
  /** Open alert streams (SSE) per API key and API process (SSE_MAX_PER_KEY); 0: no cap. */
  readonly sseMaxPerKey: number;
  /**
   * Wake-ups across processes and threads on append and on projection progress (PostgreSQL
   * LISTEN/NOTIFY, the embedded store's thread ports); false: poll only (EVENT_NOTIFICATIONS=off).
   */
  readonly eventNotifications?: boolean;
  /**
   * How long a consumer group rests after a batch before reading again when caught up
   * (CONSUMER_BATCH_REST_MS; default 25 on the embedded store, whose one PGlite thread also runs
   * the commands' appends, 0 elsewhere, where it would only add lag).
   */
  readonly consumerBatchRestMs: number;
  /** NODE_ENV=production: the service refuses to start on generated dev keys (API_KEYS_FILE required). */
  readonly production: boolean;
  /** GET /health/ready answers 503 past this projection lag, in processes running projections (READY_MAX_PROJECTION_LAG_SECONDS); 0: not checked. */
  readonly readyMaxProjectionLagSeconds: number;
  /** POST /v1/sla/what-if answers 503 ("use the CLI") past this (WHAT_IF_HTTP_TIMEOUT_MS); 0: no limit. */
  readonly whatIfHttpTimeoutMs?: number;
  /**
   * Where a routed billing case is escalated when the billing team's answer does not satisfy
   * (BILLING_FEEDBACK_ADDRESS, an e-mail address); unset: such escalations are refused (409).
   */
  readonly billingFeedbackAddress?: string;
  /**
   * Partner e-mail notifications (libs/notifications) go to this SMTP server (SMTP_URL:
   * smtp://user:pass@host:587, smtps://... for TLS from the start); unset: no e-mail is sent.
   */
  readonly smtpUrl?: string;
  /** The From address of those e-mails (MAIL_FROM). */
  readonly mailFrom: string;
}

/** Configuration that cannot be used: every problem, each naming its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const EVENT_STORES: EventStoreKind[] = ['embedded', 'postgres', 'eventstoredb'];
const ROLES: ProcessRole[] = ['all', 'api', 'worker'];
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Reads and validates the environment (api.md's table) and the `--role` argument. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv): AppConfig {
  const problems: string[] = [];
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const portText = text('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) problems.push(`PORT must be a port number (0-65535), got "${portText}"`);

  const eventStore = (text('EVENT_STORE') ?? 'embedded') as EventStoreKind;
  if (!EVENT_STORES.includes(eventStore)) {
    problems.push(`EVENT_STORE must be one of ${EVENT_STORES.join(', ')}, got "${eventStore}"`);
  }

  const roleIndex = argv.indexOf('--role');
  const roleText = roleIndex >= 0 ? argv[roleIndex + 1] : (text('ROLE') ?? 'all');
  const role = roleText as ProcessRole;
  if (!ROLES.includes(role)) problems.push(`--role must be one of ${ROLES.join(', ')}, got "${roleText ?? ''}"`);
  if (eventStore === 'embedded' && role !== 'all' && ROLES.includes(role)) {
    problems.push(
      `--role ${role} needs a shared store: the embedded store lives inside one process (use EVENT_STORE=postgres or eventstoredb, or --role all)`,
    );
  }

  const databaseUrl = text('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  if (eventStore === 'postgres' && !databaseUrl) problems.push('DATABASE_URL is required with EVENT_STORE=postgres');
  const eventStoreConnectionString = text('EVENTSTORE_CONNECTION_STRING');
  if (eventStore === 'eventstoredb') {
    if (!eventStoreConnectionString)
      problems.push('EVENTSTORE_CONNECTION_STRING is required with EVENT_STORE=eventstoredb');
    else if (!/^(esdb|kurrentdb|kdb)(\+discover)?:\/\//.test(eventStoreConnectionString)) {
      problems.push('EVENTSTORE_CONNECTION_STRING must look like esdb://host:2113?tls=false');
    }
    if (!databaseUrl)
      problems.push('DATABASE_URL is required with EVENT_STORE=eventstoredb (read models live in PostgreSQL)');
  }

  const redisUrl = text('REDIS_URL') ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl))
    problems.push(`REDIS_URL must be a redis:// or rediss:// URL, got "${redisUrl}"`);
  const redisPrefix = text('REDIS_PREFIX') ?? 'casetrail';
  if (!/^[A-Za-z0-9_.-]+$/.test(redisPrefix))
    problems.push('REDIS_PREFIX may hold only letters, digits, "_", "." and "-"');

  const alertWebhooks = (text('ALERT_WEBHOOKS') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const url of alertWebhooks) {
    if (!isHttpUrl(url)) problems.push(`ALERT_WEBHOOKS holds "${url}", which is not an http(s) URL`);
  }
  const alertWebhookSecret = text('ALERT_WEBHOOK_SECRET');
  if (alertWebhooks.length > 0 && !alertWebhookSecret)
    problems.push('ALERT_WEBHOOK_SECRET is required with ALERT_WEBHOOKS');

  const logLevel = (text('LOG_LEVEL') ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const sweepText = text('SLA_SWEEP_INTERVAL_MS') ?? '60000';
  const slaSweepIntervalMs = Number(sweepText);
  if (!/^\d+$/.test(sweepText) || slaSweepIntervalMs < 100)
    problems.push('SLA_SWEEP_INTERVAL_MS must be a whole number of milliseconds, at least 100');

  const rateText = text('RATE_LIMIT_PER_SECOND') ?? '200';
  const rateLimitPerSecond = Number(rateText);
  if (!/^\d+$/.test(rateText)) problems.push('RATE_LIMIT_PER_SECOND must be a whole number (0: unlimited)');
  const authFailuresText = text('AUTH_FAILURES_PER_MINUTE') ?? '20';
  const authFailuresPerMinute = Number(authFailuresText);
  if (!/^\d+$/.test(authFailuresText))
    problems.push('AUTH_FAILURES_PER_MINUTE must be a whole number (0: not throttled)');
  const sseText = text('SSE_MAX_PER_KEY') ?? '5';
  const sseMaxPerKey = Number(sseText);
  if (!/^\d+$/.test(sseText)) problems.push('SSE_MAX_PER_KEY must be a whole number (0: no cap)');

  const notificationsText = (text('EVENT_NOTIFICATIONS') ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(notificationsText)) problems.push('EVENT_NOTIFICATIONS must be on or off');
  const threadText = (text('BACKGROUND_THREAD') ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(threadText)) problems.push('BACKGROUND_THREAD must be on or off');
  const restText = text('CONSUMER_BATCH_REST_MS') ?? (eventStore === 'embedded' ? '25' : '0');
  const consumerBatchRestMs = Number(restText);
  if (!/^\d+$/.test(restText) || consumerBatchRestMs > 1000)
    problems.push('CONSUMER_BATCH_REST_MS must be a whole number of milliseconds, at most 1000');
  const lagText = text('READY_MAX_PROJECTION_LAG_SECONDS') ?? '30';
  const readyMaxProjectionLagSeconds = Number(lagText);
  if (!/^\d+$/.test(lagText))
    problems.push('READY_MAX_PROJECTION_LAG_SECONDS must be a whole number of seconds (0: not checked)');

  const billingFeedbackAddress = text('BILLING_FEEDBACK_ADDRESS');
  if (billingFeedbackAddress !== undefined && !isEmail(billingFeedbackAddress))
    problems.push(`BILLING_FEEDBACK_ADDRESS must be an e-mail address, got "${billingFeedbackAddress}"`);
  const whatIfText = text('WHAT_IF_HTTP_TIMEOUT_MS') ?? '20000';
  const whatIfHttpTimeoutMs = Number(whatIfText);
  if (!/^\d+$/.test(whatIfText))
    problems.push('WHAT_IF_HTTP_TIMEOUT_MS must be a whole number of milliseconds (0: no limit)');
  const smtpUrl = text('SMTP_URL');
  if (smtpUrl && !isSmtpUrl(smtpUrl)) problems.push('SMTP_URL must be an smtp:// or smtps:// URL with a host');
  const mailFrom = text('MAIL_FROM') ?? 'Casetrail <casetrail@localhost>';
  if (!/^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(mailFrom))
    problems.push('MAIL_FROM must be an e-mail address, optionally with a name: Support <support@example.com>');

  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = text('DATA_DIR') ?? './data';
  return {
    port,
    role,
    backgroundThread: threadText === 'on',
    eventStore,
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(dataDir),
    databaseUrl,
    eventStoreConnectionString,
    redisUrl,
    redisPrefix,
    slaPolicyFile: text('SLA_POLICY_FILE'),
    apiKeysFile: text('API_KEYS_FILE'),
    alertWebhooks,
    alertWebhookSecret,
    logLevel,
    slaSweepIntervalMs,
    rateLimitPerSecond,
    authFailuresPerMinute,
    sseMaxPerKey,
    eventNotifications: notificationsText === 'on',
    consumerBatchRestMs,
    production: text('NODE_ENV') === 'production',
    readyMaxProjectionLagSeconds,
    billingFeedbackAddress,
    whatIfHttpTimeoutMs,
    smtpUrl,
    mailFrom,
  };
}

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return ['smtp:', 'smtps:'].includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The DI token of the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
