import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../../libs/platform/config/app-config';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { Clock, SystemClock } from '../../libs/platform/clock/clock';
import { ApiKeyRegistry, devApiKeys, loadApiKeysFile } from '../../libs/platform/auth/api-keys';
import { AppModule } from './app.module';
import { connectDependencies } from './startup/connect-dependencies';
import { SlaPolicyService } from '../../libs/sla/sla-policy.service';

export interface RunningService {
  readonly app: INestApplication;
  /** The base URL the HTTP server listens on, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  close(): Promise<void>;
}

/** Largest accepted request body; a larger one is a 413. */
export const BODY_LIMIT = '64kb';

/**
 * Starts the service: opens and checks every dependency, then Nest with the modules of the role,
 * then the HTTP server. Used by main.ts and, in-process, by the end-to-end tests.
 */
export async function startService(
  config: AppConfig,
  options: { logger?: JsonLogger; clock?: Clock } = {},
): Promise<RunningService> {
  const logger = options.logger ?? new JsonLogger(config.logLevel);
  const apiKeys = loadKeys(config, logger);
  const slaPolicy = SlaPolicyService.load(config.slaPolicyFile);
  const deps = await connectDependencies(config, logger);
  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(
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
      { logger, abortOnError: false },
    );
    app.useBodyParser('json', { limit: BODY_LIMIT });
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
    logger.event('info', 'casetrail started', { url, role: config.role, eventStore: config.eventStore }, 'Startup');
    const started = app;
    return {
      app: started,
      url,
      close: async () => {
        await started.close();
        await deps.close();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await deps.close();
    throw error;
  }
}

function loadKeys(config: AppConfig, logger: JsonLogger): ApiKeyRegistry {
  if (config.apiKeysFile) return new ApiKeyRegistry(loadApiKeysFile(config.apiKeysFile));
  const dev = devApiKeys(config.dataDir);
  if (dev.created) {
    // Printed once, when made: afterwards they are only in the file (mode 600).
    logger.event('warn', `dev mode: API keys generated in ${dev.file} (set API_KEYS_FILE in production)`, {
      keys: dev.keys.map((k) => ({ name: k.name, role: k.role, key: k.key, partnerId: k.partnerId })),
    }, 'Startup');
  }
  return new ApiKeyRegistry(dev.keys);
}
