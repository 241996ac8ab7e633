import { Module } from '@nestjs/common';
import { SlaPreviewController } from './sla-preview.controller';

/** The SLA preview route (`/v1/sla/preview`): mounted by the roles that serve the API only. */
@Module({ controllers: [SlaPreviewController] })
export class SlaHttpModule {}
