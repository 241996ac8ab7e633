import { DynamicModule, Module, Type } from '@nestjs/common';
import { PlatformModule, PlatformResources } from '../../libs/platform/platform.module';
import { HealthModule } from '../../libs/platform/health/health.module';
import { MetricsModule } from '../../libs/platform/metrics/metrics.module';
import { ProjectionsModule } from '../../libs/projections/projections.module';
import { ProjectionsHttpModule } from '../../libs/projections/projections-http.module';
import { ProjectionConsumersModule } from '../../libs/projections/projection-consumers.module';
import { EngineersModule } from '../../libs/engineers/engineers.module';
import { EngineersHttpModule } from '../../libs/engineers/engineers-http.module';
import { CasesModule } from '../../libs/cases/cases.module';
import { CasesHttpModule } from '../../libs/cases/cases-http.module';
import { DutyManagerHttpModule } from '../../libs/duty-manager/duty-manager-http.module';
import { CallQueueHttpModule } from '../../libs/call-queue/call-queue-http.module';
import { SlaModule } from '../../libs/sla/sla.module';
import { SlaHttpModule } from '../../libs/sla/sla-http.module';
import { SlaTimersModule } from '../../libs/sla-timers/sla-timers.module';
import { AlertsModule } from '../../libs/alerts/alerts.module';
import { AlertsHttpModule } from '../../libs/alerts/alerts-http.module';
import { AlertDeliveryModule } from '../../libs/alerts/alert-delivery.module';
import { NotificationsModule } from '../../libs/notifications/notifications.module';
import { ReportsHttpModule } from '../../libs/reports/reports-http.module';
import type { SlaPolicyService } from '../../libs/sla/sla-policy.service';
import { ALL_PROJECTIONS } from '../../libs/projections/read-models/all-projections';
import { CheckpointedConsumers } from '../../libs/platform/tokens';
import type { AppConfig } from '../../libs/platform/config/app-config';

/** The features' cores: services, command handlers, queries; no route, nothing running on its own. */
const CORE: Type[] = [ProjectionsModule, EngineersModule, CasesModule, AlertsModule];
/** The features' routes (`/v1/...`): the API. */
const HTTP: Type[] = [
  EngineersHttpModule,
  CasesHttpModule,
  DutyManagerHttpModule,
  CallQueueHttpModule,
  SlaHttpModule,
  AlertsHttpModule,
  ProjectionsHttpModule,
  ReportsHttpModule,
];
/** The consumers: read-model projections, the SLA timers (scheduler, BullMQ worker, sweep), alert delivery, partner e-mail. */
const CONSUMERS: Type[] = [ProjectionConsumersModule, SlaTimersModule, AlertDeliveryModule, NotificationsModule];

/**
 * The checkpoint names of the consumers besides the read models (the SLA scheduler's group:
 * libs/sla-timers/sla-timers.projection.ts and sla-timer-arming.reactor.ts; alert delivery,
 * libs/alerts/alert-webhooks.ts, runs only with ALERT_WEBHOOKS), for the readiness probe.
 */
function checkpointedConsumers(config: AppConfig): CheckpointedConsumers {
  return {
    readModels: ALL_PROJECTIONS.map((p) => p.name),
    reactors: ['sla-timers', 'sla-timer-arming', ...(config.alertWebhooks.length > 0 ? ['alert-webhooks'] : [])],
  };
}

/**
 * One Nest application of the service: the platform, /health* and /metrics, the features' cores,
 * and by its parts (config/service-parts.ts) the HTTP modules and/or the consumer modules.
 * `--role api` mounts the HTTP modules and runs no consumer, `--role worker` runs the consumers
 * and serves /health* and /metrics only, `all` is both (in two threads by default). Route tables:
 * test/e2e/role-routes.e2e.spec.ts.
 */
@Module({})
export class AppModule {
  static register(resources: PlatformResources & { readonly slaPolicy: SlaPolicyService }): DynamicModule {
    const { parts } = resources;
    return {
      module: AppModule,
      imports: [
        PlatformModule.register(resources),
        SlaModule.register(resources.slaPolicy),
        HealthModule.register(checkpointedConsumers(resources.config)),
        MetricsModule,
        ...CORE,
        ...(parts.api ? HTTP : []),
        ...(parts.consumers ? CONSUMERS : []),
      ],
    };
  }
}
