import { Module } from '@nestjs/common';
import { CommandingModule } from '../platform/commanding/commanding.module';
import { EngineersModule } from '../engineers/engineers.module';
import { DutyManagerModule } from '../duty-manager/duty-manager.module';
import { CaseCommandService } from './case-command.service';
import { CaseListService } from './case-list.query';

/**
 * The case feature's core: its command service and queries, no controllers. Imported by its HTTP
 * module and by the SLA timers (which run case commands), so the worker role gets the command service
 * without the routes (cases-http.module.ts).
 */
@Module({
  imports: [CommandingModule, EngineersModule, DutyManagerModule],
  providers: [CaseCommandService, CaseListService],
  exports: [CommandingModule, EngineersModule, CaseCommandService, CaseListService],
})
export class CasesModule {}
