import { Module } from '@nestjs/common';
import { CommandingModule } from '../platform/commanding/commanding.module';
import { DutyManagerService } from './duty-manager.service';

/** The duty manager's core (no controller: see duty-manager-http.module.ts); the cases' timers read it. */
@Module({
  imports: [CommandingModule],
  providers: [DutyManagerService],
  exports: [CommandingModule, DutyManagerService],
})
export class DutyManagerModule {}
