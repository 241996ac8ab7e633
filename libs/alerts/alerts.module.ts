import { Module } from '@nestjs/common';
import { AlertFeedService } from './alert-feed.service';
import { AlertsQueryService } from './alerts.query';

/** The alerts feature's core: the alert read model's query and the per-process live feed (polls only while a stream listens). */
@Module({ providers: [AlertsQueryService, AlertFeedService], exports: [AlertsQueryService, AlertFeedService] })
export class AlertsModule {}
