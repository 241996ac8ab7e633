import { DynamicModule, Global, Module } from '@nestjs/common';
import { SlaPolicyService } from './sla-policy.service';

/**
 * The SLA feature's core: the policy in force. Loaded and recorded before Nest starts (start-up
 * stops on a bad or re-used policy, bootstrap.ts), then handed to every module that decides.
 */
@Global()
@Module({})
export class SlaModule {
  static register(policy: SlaPolicyService): DynamicModule {
    return {
      module: SlaModule,
      providers: [{ provide: SlaPolicyService, useValue: policy }],
      exports: [SlaPolicyService],
    };
  }
}
