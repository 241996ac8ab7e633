import { Module } from '@nestjs/common';
import { CommandHandler } from './handle-command';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';

/** What every command-handling feature needs: the one command handler and durable idempotency. */
@Module({
  providers: [CommandHandler, IdempotencyStore, IdempotencyInterceptor],
  exports: [CommandHandler, IdempotencyStore, IdempotencyInterceptor],
})
export class CommandingModule {}
