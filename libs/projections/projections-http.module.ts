import { Module } from '@nestjs/common';
import { ProjectionsAdminController } from './admin/projections-admin.controller';

/** The admin routes over the read models (`/v1/admin/projections`: status, rebuild): mounted by the roles that serve the API only. */
@Module({ controllers: [ProjectionsAdminController] })
export class ProjectionsHttpModule {}
