import { Module } from '@nestjs/common';
import { SlaPreviewController } from './sla-preview.controller';

@Module({ controllers: [SlaPreviewController] })
export class SlaModule {}
