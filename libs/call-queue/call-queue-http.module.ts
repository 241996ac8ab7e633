import { Module } from '@nestjs/common';
import { CallQueueController } from './call-queue.controller';
import { CallQueueModule } from './call-queue.module';

/** `GET /v1/call-queue`, `POST /v1/call-queue/{callId}/taken`: mounted by the roles that serve the API only. */
@Module({
  imports: [CallQueueModule],
  controllers: [CallQueueController],
})
export class CallQueueHttpModule {}
