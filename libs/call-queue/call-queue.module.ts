import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { CallQueueQuery } from './call-queue.query';
import { CallQueueService } from './call-queue.service';

/** The call queue's core: its query and the taking of a call (a case command). Its read model is in ALL_PROJECTIONS. */
@Module({
  imports: [CasesModule],
  providers: [CallQueueQuery, CallQueueService],
  exports: [CasesModule, CallQueueQuery, CallQueueService],
})
export class CallQueueModule {}
