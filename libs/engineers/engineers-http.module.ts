import { Module } from '@nestjs/common';
import { EngineersModule } from './engineers.module';
import { EngineersController } from './engineers.controller';

/** The engineer routes (`/v1/engineers...`): mounted by the roles that serve the API only. */
@Module({
  imports: [EngineersModule],
  controllers: [EngineersController],
})
export class EngineersHttpModule {}
