import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MessagePort, Worker } from 'node:worker_threads';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../../libs/platform/openapi/openapi-document';
import { AppConfig, ConfigError } from '../../libs/platform/config/app-config';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { Clock, SystemClock } from '../../libs/platform/clock/clock';
import { ApiKeyRegistry, devApiKeys, devApiKeysFile, loadApiKeysFile } from '../../libs/platform/auth/api-keys';
import { AppModule } from './app.module';
import { connectDependencies } from './startup/connect-dependencies';
import { SlaPolicyService } from '../../libs/sla/sla-policy.service';
import { createHttpAdapter } from '../../libs/platform/http/http-adapter';
import type { BackgroundThreadMessage } from './background-thread';
import { backgroundThreadStatus } from '../../libs/platform/health/background-status';
import { setBackgroundThread } from '../../libs/platform/metrics/background-metrics';

export interface RunningService {
  readonly app: INestApplication;
  /** The base URL the HTTP server listens on, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the service: opens and checks every dependency, then Nest with the modules of the role,
 * then the HTTP server. Used by main.ts and, in-process, by the end-to-end tests.
 */
export async function startService(
  config: AppConfig,
  options: {
    logger?: JsonLogger;
    clock?: Clock;
    /** false: no HTTP server (the background thread). */
    listen?: boolean;
    /**
     * Role `all` runs its background work in a worker thread, so that HTTP and the projections
     * use two cores, and (embedded store) the projections' transactions never wait on the HTTP
     * thread's event loop (BENCHMARKS.md). Default: when the compiled thread entry exists; tests
     * running from the TypeScript sources keep one thread.
     */
    backgroundThread?: boolean;
    /** The background thread on the embedded store: its connection to the main thread's store. */
    embeddedPort?: MessagePort;
  } = {},
): Promise<RunningService> {
  const logger = options.logger ?? new JsonLogger(config.logLevel);
  const apiKeys = loadKeys(config, logger);
  const slaPolicy = SlaPolicyService.load(config.slaPolicyFile);
  const threaded = config.role === 'all' && (options.backgroundThread ?? existsSync(BACKGROUND_THREAD_ENTRY));
  // Dependencies are checked here first (an unreachable one is reported as such), then the
  // thread starts and migrates its tables, then the API: migrations never overlap.
  const deps = await connectDependencies(config, logger, { embeddedPort: options.embeddedPort });
  let background: { stop(): Promise<void> } | null = null;
  let app: NestFastifyApplication | undefined;
  try {
    // Pins the policy's version to its content (a reused version stops start-up) before any command.
    await slaPolicy.record(deps.eventStore, (options.clock ?? new SystemClock()).nowIso(), logger);
    if (threaded) {
      background = await startBackgroundThread(config, logger, deps.connectThread);
      config = { ...config, role: 'api', backgroundThread: true };
    }
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register({
        config,
        logger,
        clock: options.clock ?? new SystemClock(),
        eventStore: deps.eventStore,
        readModels: deps.readModels,
        redis: deps.redis,
        apiKeys,
        slaPolicy,
      }),
      createHttpAdapter(logger),
      // The adapter registers the body parsers itself.
      { logger, abortOnError: false, bodyParser: false },
    );
    const started = app;
    const close = async () => {
      await started.close();
      await background?.stop();
      await deps.close();
    };
    if (options.listen === false) {
      await app.init();
      return { app, url: '', close };
    }
    const document = buildOpenApiDocument(app);
    SwaggerModule.setup('docs', app, document);
    // No enableShutdownHooks(): main.ts handles SIGTERM/SIGINT and closes once (two closes would
    // run every shutdown hook twice).
    await app.listen(config.port, '0.0.0.0');
    const address = app.getHttpServer().address() as { port: number };
    const url = `http://127.0.0.1:${address.port}`;
    logger.event('info', 'casetrail started', { url, role: background ? 'all (api; background work in a worker thread)' : config.role, eventStore: config.eventStore }, 'Startup');
    return { app, url, close };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await background?.stop();
    await deps.close();
    throw error;
  }
}

const BACKGROUND_THREAD_ENTRY = join(__dirname, 'background-thread.js');

/** Restart back-off of the background thread: 1 s doubling to 30 s; reset once it ran a minute. */
const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
const STABLE_AFTER_MS = 60_000;

/**
 * Starts the background role in a worker thread and waits until it runs. If it fails to start,
 * so does the service (with its error). If it stops later (an error it did not survive, or the
 * embedded store's connection it uses closed), it is started again with a back-off, on a new
 * connection (`connect`), and resumes from its checkpoints; meanwhile the API keeps serving and
 * GET /health reports the thread as restarting. The process itself only ends on a signal.
 */
async function startBackgroundThread(
  config: AppConfig,
  logger: JsonLogger,
  connect?: () => MessagePort,
): Promise<{ stop(): Promise<void> }> {
  let stopping = false;
  let worker: Worker | null = null;
  let restarts = 0;
  let delay = RESTART_MIN_MS;
  let restartTimer: NodeJS.Timeout | null = null;

  const spawn = async (): Promise<Worker> => {
    const embeddedPort = connect?.();
    const thread = new Worker(BACKGROUND_THREAD_ENTRY, {
      workerData: { config, embeddedPort },
      transferList: embeddedPort ? [embeddedPort] : [],
    });
    let lastError: Error | null = null;
    thread.on('error', (error) => {
      lastError = error;
      logger.event('error', 'background thread error', { error: error.message, stack: error.stack }, 'Startup');
    });
    await new Promise<void>((resolve, reject) => {
      thread.on('message', (message: BackgroundThreadMessage) => {
        if ('ready' in message) resolve();
        if ('failed' in message) reject(Object.assign(new Error(message.failed.message), { name: message.failed.name }));
      });
      thread.once('exit', (code) => reject(lastError ?? new Error(`the background thread exited during start-up (code ${code})`)));
    }).catch(async (error) => {
      await thread.terminate();
      throw error;
    });
    const startedAt = Date.now();
    thread.once('exit', (code) => {
      if (stopping || worker !== thread) return;
      worker = null;
      setBackgroundThread(null);
      if (Date.now() - startedAt >= STABLE_AFTER_MS) delay = RESTART_MIN_MS;
      const why = lastError?.message ?? `exit code ${code}`;
      logger.event('error', 'the background thread stopped; restarting it', { code, error: why, restartInMs: delay }, 'Startup');
      backgroundThreadStatus.set({ status: 'restarting', restarts, since: new Date().toISOString(), lastError: why });
      scheduleRestart();
    });
    return thread;
  };

  const scheduleRestart = () => {
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (stopping) return;
      restarts++;
      spawn().then(
        (thread) => {
          if (stopping) return void thread.terminate();
          worker = thread;
          setBackgroundThread(thread);
          logger.event('info', 'the background thread runs again', { restarts }, 'Startup');
          backgroundThreadStatus.set({ status: 'running', restarts, since: new Date().toISOString() });
        },
        (error: Error) => {
          delay = Math.min(delay * 2, RESTART_MAX_MS);
          logger.event('error', 'the background thread could not start again; retrying', { error: error.message, restartInMs: delay }, 'Startup');
          backgroundThreadStatus.set({ status: 'restarting', restarts, since: new Date().toISOString(), lastError: error.message });
          scheduleRestart();
        },
      );
    }, delay);
  };

  worker = await spawn();
  setBackgroundThread(worker);
  backgroundThreadStatus.set({ status: 'running', restarts, since: new Date().toISOString() });
  return {
    stop: async () => {
      if (stopping) return;
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      setBackgroundThread(null);
      const thread = worker;
      backgroundThreadStatus.set(null);
      if (!thread) return;
      const stopped = new Promise<void>((resolve) => {
        thread.on('message', (message: BackgroundThreadMessage) => 'stopped' in message && resolve());
        thread.once('exit', () => resolve());
      });
      thread.postMessage('stop');
      await stopped;
      await thread.terminate();
    },
  };
}

function loadKeys(config: AppConfig, logger: JsonLogger): ApiKeyRegistry {
  // Production never runs on generated keys: they would be printed in a log, and each replica
  // would make its own.
  if (config.production && (!config.apiKeysFile || resolve(config.apiKeysFile) === devApiKeysFile(config.dataDir))) {
    throw new ConfigError([
      `API_KEYS_FILE is required with NODE_ENV=production${config.apiKeysFile ? ` and must not be the generated dev keys file ${config.apiKeysFile}` : ''}: generated dev keys are refused (make keys with \`npm run cli -- keygen\`)`,
    ]);
  }
  if (config.apiKeysFile) return new ApiKeyRegistry(loadApiKeysFile(config.apiKeysFile));
  const dev = devApiKeys(config.dataDir);
  if (dev.created) {
    // Printed once, when made: the file keeps only their hashes (mode 600).
    logger.event('warn', `dev mode: API keys generated in ${dev.file} (set API_KEYS_FILE in production)`, {
      keys: dev.generated.map((k) => ({ name: k.name, role: k.role, key: k.key, partnerId: k.partnerId })),
    }, 'Startup');
  }
  return new ApiKeyRegistry(dev.keys);
}
