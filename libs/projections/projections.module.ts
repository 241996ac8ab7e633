import { Global, Module } from '@nestjs/common';
import { ProjectionRunner } from './projection-runner';
import { ReadConsistency } from './read-consistency';
import { ALL_PROJECTIONS } from './read-models/all-projections';
import { ConsumerRunners } from './consumer-runners';

/**
 * The read models' core, in every role: ConsumerRunners (the one wiring of every consumer group,
 * which creates their tables at start: the API reads them), the read models' group and its
 * progress (read-your-writes waits on it). Running the groups is projection-consumers.module.ts's,
 * mounted only where consumers run; the admin routes are projections-http.module.ts's.
 */
@Global()
@Module({
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
