import { Module } from '@nestjs/common';
import { CasesModule } from './cases.module';
import { CasesController } from './cases.controller';
import { CaseReadsController } from './case-reads.controller';
import { BillingFeedbackController } from './billing-feedback.controller';

/** The case routes (`/v1/cases...`): mounted by the roles that serve the API only. */
@Module({
  imports: [CasesModule],
  controllers: [CasesController, CaseReadsController, BillingFeedbackController],
})
export class CasesHttpModule {}
