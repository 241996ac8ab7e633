import { Module } from '@nestjs/common';
import { ChangeEngineerAvailabilityHandler, RegisterEngineerHandler } from './engineer-command.handlers';
import { EngineersQuery } from './engineers.query';
import { CommandingModule } from '../platform/commanding/commanding.module';

/** The engineers feature's core: command handlers and the roster query, no controllers (see engineers-http.module.ts). */
@Module({
  imports: [CommandingModule],
  providers: [RegisterEngineerHandler, ChangeEngineerAvailabilityHandler, EngineersQuery],
  exports: [CommandingModule, EngineersQuery],
})
export class EngineersModule {}
