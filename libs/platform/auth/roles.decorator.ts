import { SetMetadata } from '@nestjs/common';
import { Role } from './principal';

export const ROLES_KEY = 'casetrail:roles';
/** The roles that may call a route; `admin` may always. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
