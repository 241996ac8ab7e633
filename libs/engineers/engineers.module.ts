import { Module } from '@nestjs/common';
import { EngineerCommandService } from './engineer-command.service';
import { EngineersQuery } from './engineers.query';
import { EngineerFacts } from './engineer-facts';
import { CommandingModule } from '../platform/commanding/commanding.module';

/** The engineers feature's core: the command service and the roster query, no controllers (see engineers-http.module.ts). */
@Module({
  imports: [CommandingModule],
  providers: [EngineerCommandService, EngineersQuery, EngineerFacts],
  exports: [CommandingModule, EngineerCommandService, EngineersQuery, EngineerFacts],
})
export class EngineersModule {}
