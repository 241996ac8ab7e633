import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'casetrail:public';
/** Marks a route that needs no API key (only GET /health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
