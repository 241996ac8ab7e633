import { Module } from '@nestjs/common';
import { EngineersController } from './engineers.controller';
import { ChangeEngineerAvailabilityHandler, RegisterEngineerHandler } from './engineer-command.handlers';
import { EngineersQuery } from './engineers.query';
import { CommandingModule } from '../platform/commanding/commanding.module';

@Module({
  imports: [CommandingModule],
  controllers: [EngineersController],
  providers: [RegisterEngineerHandler, ChangeEngineerAvailabilityHandler, EngineersQuery],
  exports: [EngineersQuery],
})
export class EngineersModule {}
