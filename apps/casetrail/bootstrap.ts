import 'reflect-metadata';
import { resolve } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../../libs/platform/openapi/openapi-document';
import { AppConfig, ConfigError } from '../../libs/platform/config/app-config';
import { serviceParts, usesBackgroundThread } from '../../libs/platform/config/service-parts';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { Clock, SystemClock } from '../../libs/platform/clock/clock';
import { ApiKeyRegistry, devApiKeys, devApiKeysFile, loadApiKeysFile } from '../../libs/platform/auth/api-keys';
import { AppModule } from './app.module';
import { connectDependencies } from './startup/connect-dependencies';
import { startBackgroundThread } from './startup/background-thread-supervisor';
import { SlaPolicyService } from '../../libs/sla/sla-policy.service';
import { createHttpAdapter } from '../../libs/platform/http/http-adapter';
import { registerConsole } from '../../libs/platform/console/console-static';

export interface RunningService {
  readonly app: INestApplication;
  /** The base URL the HTTP server listens on, e.g. http://127.0.0.1:3000; '' without a server. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the service: opens and checks every dependency, then Nest with the modules of its parts
 * (config/service-parts.ts: the role, and for role `all` BACKGROUND_THREAD), then the HTTP
 * server. Used by main.ts, by the background thread (background-thread.ts) and, in-process, by
 * the end-to-end tests. The configuration is used as given, never rewritten.
 */
export async function startService(
  config: AppConfig,
  options: {
    logger?: JsonLogger;
    /** A clock of the caller's (tests): it cannot cross into a worker thread, so it needs BACKGROUND_THREAD=off in role `all`. */
    clock?: Clock;
    /** false: no HTTP server (the background thread; `npm run openapi`). */
    listen?: boolean;
    /** Which thread this is: `background` is role `all`'s worker thread (it runs the consumers). */
    thread?: 'main' | 'background';
    /** The background thread on the embedded store: its connection to the main thread's store. */
    embeddedPort?: MessagePort;
  } = {},
): Promise<RunningService> {
  const thread = options.thread ?? 'main';
  const parts = serviceParts(config, thread);
  // Role `all` runs its consumers in a worker thread (BACKGROUND_THREAD=on), so that HTTP and the
  // projections use two cores, and (embedded store) the projections' transactions never wait on
  // the HTTP thread's event loop (BENCHMARKS.md).
  const threaded = thread === 'main' && usesBackgroundThread(config);
  if (threaded && options.clock) {
    throw new ConfigError([
      'a clock of its own cannot reach the background thread: start role all with BACKGROUND_THREAD=off to use one',
    ]);
  }
  const logger = options.logger ?? new JsonLogger(config.logLevel);
  const clock = options.clock ?? new SystemClock();
  const apiKeys = loadKeys(config, logger);
  const slaPolicy = SlaPolicyService.load(config.slaPolicyFile);
  // Dependencies are checked here first (an unreachable one is reported as such), then the
  // thread starts and migrates its tables, then the API: migrations never overlap.
  const deps = await connectDependencies(config, logger, { embeddedPort: options.embeddedPort });
  let background: { stop(): Promise<void> } | null = null;
  let app: NestFastifyApplication | undefined;
  try {
    // Pins the policy's version to its content (a reused version stops start-up) before any command.
    await slaPolicy.record(deps.eventStore, clock.nowIso(), logger);
    if (threaded) background = await startBackgroundThread(config, logger, deps.connectThread);
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register({
        config,
        parts,
        logger,
        clock,
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
    // The API's description and the ops console, where the API is served (a worker serves
    // /health* and /metrics only).
    if (parts.api) {
      SwaggerModule.setup('docs', app, buildOpenApiDocument(app));
      registerConsole(app, logger);
    }
    // No enableShutdownHooks(): main.ts handles SIGTERM/SIGINT and closes once (two closes would
    // run every shutdown hook twice).
    await app.listen(config.port, '0.0.0.0');
    const address = app.getHttpServer().address() as { port: number };
    const url = `http://127.0.0.1:${address.port}`;
    const role = threaded ? 'all (api; background work in a worker thread)' : config.role;
    logger.event('info', 'casetrail started', { url, role, eventStore: config.eventStore }, 'Startup');
    return { app, url, close };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await background?.stop();
    await deps.close();
    throw error;
  }
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
    logger.event(
      'warn',
      `dev mode: API keys generated in ${dev.file} (set API_KEYS_FILE in production)`,
      {
        keys: dev.generated.map((k) => ({ name: k.name, role: k.role, key: k.key, partnerId: k.partnerId })),
      },
      'Startup',
    );
  }
  return new ApiKeyRegistry(dev.keys);
}
