import { Global, Module } from '@nestjs/common';
import { ProjectionRunner } from './projection-runner';
import { ReadConsistency } from './read-consistency';
import { ALL_PROJECTIONS } from './read-models/all-projections';
import { ProjectionsAdminController } from './admin/projections-admin.controller';
import { ConsumerRunners } from './consumer-runners';

/**
 * The read models and the runners of every consumer (ConsumerRunners). Every role creates the
 * tables (the API reads them); the worker role runs the subscriptions that fill them.
 */
@Global()
@Module({
  controllers: [ProjectionsAdminController],
  providers: [
    ConsumerRunners,
    {
      provide: ProjectionRunner,
      inject: [ConsumerRunners],
      useFactory: (runners: ConsumerRunners) => runners.add(ALL_PROJECTIONS),
    },
    ReadConsistency,
  ],
  exports: [ConsumerRunners, ProjectionRunner, ReadConsistency],
})
export class ProjectionsModule {}
