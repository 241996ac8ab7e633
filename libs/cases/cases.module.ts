import { Module } from '@nestjs/common';
import { CommandingModule } from '../platform/commanding/commanding.module';
import { EngineersModule } from '../engineers/engineers.module';
import { CasesController } from './cases.controller';
import { CaseReadsController } from './case-reads.controller';
import { SubmitCaseHandler } from './submit-case.handler';
import { CaseActionHandler } from './case-action.handler';
import { CaseListService } from './case-list.query';

@Module({
  imports: [CommandingModule, EngineersModule],
  controllers: [CasesController, CaseReadsController],
  providers: [SubmitCaseHandler, CaseActionHandler, CaseListService],
})
export class CasesModule {}
