import { Module } from '@nestjs/common';
import { DutyManagerController } from './duty-manager.controller';
import { DutyManagerModule } from './duty-manager.module';

/** `GET`/`PUT /v1/duty-manager`: mounted by the roles that serve the API only. */
@Module({
  imports: [DutyManagerModule],
  controllers: [DutyManagerController],
})
export class DutyManagerHttpModule {}
