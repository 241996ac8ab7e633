import { DynamicModule, Module, Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule, PlatformResources } from '../../libs/platform/platform.module';
import { HealthModule } from '../../libs/platform/health/health.module';
import { MetricsModule } from '../../libs/platform/metrics/metrics.module';
import { ProjectionsModule } from '../../libs/projections/projections.module';
import { EngineersModule } from '../../libs/engineers/engineers.module';
import { CasesModule } from '../../libs/cases/cases.module';
import { SlaTimersModule } from '../../libs/sla-timers/sla-timers.module';
import { SlaModule } from '../../libs/sla/sla.module';
import { AlertsModule } from '../../libs/alerts/alerts.module';
import { AlertDeliveryModule } from '../../libs/alerts/alert-delivery.module';
import { ReportsModule } from '../../libs/reports/reports.module';

/**
 * The service's modules by role: `api` serves HTTP commands and reads, `worker` runs the
 * subscriptions (projections, SLA timers, alert delivery), `all` does both in one process.
 * Every role serves /health.
 */
@Module({})
export class AppModule {
  static register(resources: PlatformResources): DynamicModule {
    const role = resources.config.role;
    const api: Type[] = [EngineersModule, CasesModule, SlaModule, AlertsModule, ReportsModule];
    const worker: Type[] = [SlaTimersModule, AlertDeliveryModule];
    return {
      module: AppModule,
      imports: [
        PlatformModule.register(resources),
        CqrsModule.forRoot(),
        HealthModule,
        MetricsModule,
        ProjectionsModule,
        ...(role === 'worker' ? [] : api),
        ...(role === 'api' ? [] : worker),
      ],
    };
  }
}
