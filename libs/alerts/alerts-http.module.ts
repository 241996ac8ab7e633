import { Module } from '@nestjs/common';
import { AlertsModule } from './alerts.module';
import { AlertsController } from './alerts.controller';

/** The alert routes (`/v1/alerts`, its stream): mounted by the roles that serve the API only. */
@Module({ imports: [AlertsModule], controllers: [AlertsController] })
export class AlertsHttpModule {}
