import { Module } from '@nestjs/common';
import { CommandingModule } from '../platform/commanding/commanding.module';
import { EngineersModule } from '../engineers/engineers.module';
import { CasesController } from './cases.controller';
import { CaseReadsController } from './case-reads.controller';
import { CaseCommandService } from './case-command.service';
import { CaseListService } from './case-list.query';

@Module({
  imports: [CommandingModule, EngineersModule],
  controllers: [CasesController, CaseReadsController],
  providers: [CaseCommandService, CaseListService],
  exports: [CaseCommandService],
})
export class CasesModule {}
