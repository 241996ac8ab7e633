import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertFeedService } from './alert-feed.service';
import { AlertsQueryService } from './alerts.query';

/** The alert feed and stream (API side). */
@Module({ controllers: [AlertsController], providers: [AlertsQueryService, AlertFeedService], exports: [AlertsQueryService, AlertFeedService] })
export class AlertsModule {}
