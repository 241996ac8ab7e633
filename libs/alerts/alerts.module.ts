import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsQueryService } from './alerts.query';

/** The alert feed and stream (API side). */
@Module({ controllers: [AlertsController], providers: [AlertsQueryService], exports: [AlertsQueryService] })
export class AlertsModule {}
