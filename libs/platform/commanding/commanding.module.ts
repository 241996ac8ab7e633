import { Module } from '@nestjs/common';
import { DeciderCommandRunner } from './decider-command-runner';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';

/** What every command-handling feature needs: the decider runner and durable idempotency. */
@Module({
  providers: [DeciderCommandRunner, IdempotencyStore, IdempotencyInterceptor],
  exports: [DeciderCommandRunner, IdempotencyStore, IdempotencyInterceptor],
})
export class CommandingModule {}
