import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessagePort, Worker } from 'node:worker_threads';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../../libs/platform/config/app-config';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { Clock, SystemClock } from '../../libs/platform/clock/clock';
import { ApiKeyRegistry, devApiKeys, loadApiKeysFile } from '../../libs/platform/auth/api-keys';
import { AppModule } from './app.module';
import { connectDependencies } from './startup/connect-dependencies';
import { SlaPolicyService } from '../../libs/sla/sla-policy.service';
import { createHttpAdapter } from '../../libs/platform/http/http-adapter';
import type { BackgroundThreadMessage } from './background-thread';

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
      background = await startBackgroundThread(config, logger, deps.connectThread?.());
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
      createHttpAdapter(),
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
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Casetrail')
        .setDescription('Event-sourced partner support cases with SLA timers')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
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

/**
 * Starts the background role in a worker thread and waits until it runs. If it fails to start,
 * so does the service (with its error); if it dies later, the process exits with an error so that
 * its supervisor restarts it: an API without projections and timers would be silently wrong.
 */
async function startBackgroundThread(config: AppConfig, logger: JsonLogger, embeddedPort?: MessagePort): Promise<{ stop(): Promise<void> }> {
  const worker = new Worker(BACKGROUND_THREAD_ENTRY, {
    workerData: { config, embeddedPort },
    transferList: embeddedPort ? [embeddedPort] : [],
  });
  let stopping = false;
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: BackgroundThreadMessage) => {
      if ('ready' in message) resolve();
      if ('failed' in message) reject(Object.assign(new Error(message.failed.message), { name: message.failed.name }));
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the background thread exited during start-up (code ${code})`)));
  }).catch(async (error) => {
    stopping = true;
    await worker.terminate();
    throw error;
  });
  worker.on('exit', (code) => {
    if (stopping) return;
    logger.event('error', 'the background thread stopped; exiting', { code }, 'Startup');
    process.exit(1);
  });
  worker.on('error', (error) => logger.event('error', 'background thread error', { error: error.message }, 'Startup'));
  return {
    stop: async () => {
      if (stopping) return;
      stopping = true;
      const stopped = new Promise<void>((resolve) => {
        worker.on('message', (message: BackgroundThreadMessage) => 'stopped' in message && resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}

function loadKeys(config: AppConfig, logger: JsonLogger): ApiKeyRegistry {
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
