import { Module } from '@nestjs/common';
import { EngineersController } from './engineers.controller';
import { EngineerCommandService } from './engineer-command.service';
import { EngineersQuery } from './engineers.query';
import { CommandingModule } from '../platform/commanding/commanding.module';

@Module({
  imports: [CommandingModule],
  controllers: [EngineersController],
  providers: [EngineerCommandService, EngineersQuery],
  exports: [EngineersQuery],
})
export class EngineersModule {}
