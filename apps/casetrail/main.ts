import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../libs/platform/config/app-config';
import { DependencyError } from '../../libs/platform/health/dependency-error';
import { ApiKeysFileError } from '../../libs/platform/auth/api-keys';
import { SlaPolicyError } from '../../libs/domain/sla/sla-errors';
import { startService } from './bootstrap';

/** Errors an operator fixes outside the code: one line, no stack trace. */
const OPERATOR_ERRORS = [ConfigError, DependencyError, ApiKeysFileError, SlaPolicyError];

async function main(): Promise<void> {
  try {
    const service = await startService(loadConfig());
    let stopping: Promise<void> | null = null;
    const stop = () =>
      (stopping ??= service
        .close()
        .catch((error: Error) => process.stderr.write(`casetrail: shutdown: ${error.message}\n`))
        .then(() => process.exit(0)));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    const known = OPERATOR_ERRORS.some((type) => error instanceof type);
    process.stderr.write(`casetrail: ${known ? (error as Error).message : (error as Error).stack}\n`);
    process.exit(1);
  }
}

void main();
