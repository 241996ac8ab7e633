import { Module } from '@nestjs/common';
import { CommandingModule } from '../platform/commanding/commanding.module';
import { EngineersModule } from '../engineers/engineers.module';
import { SubmitCaseHandler } from './submit-case.handler';
import { CaseActionHandler } from './case-action.handler';
import { CaseListService } from './case-list.query';

/**
 * The case feature's core: its command handlers and queries, no controllers. Imported by its HTTP
 * module and by the SLA timers (which run case commands), so the worker role gets the handlers
 * without the routes (cases-http.module.ts).
 */
@Module({
  imports: [CommandingModule, EngineersModule],
  providers: [SubmitCaseHandler, CaseActionHandler, CaseListService],
  exports: [CommandingModule, EngineersModule, CaseListService],
})
export class CasesModule {}
