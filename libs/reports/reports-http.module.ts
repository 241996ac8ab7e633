import { Module } from '@nestjs/common';
import { SlaReportController } from './compliance/sla-report.controller';
import { WhatIfController } from './what-if/what-if.controller';

/**
 * The reports' HTTP side: the what-if and the compliance report. Their projection (sla-outcomes)
 * runs with the others (ALL_PROJECTIONS); the what-if reads the store directly.
 */
@Module({ controllers: [WhatIfController, SlaReportController] })
export class ReportsHttpModule {}
