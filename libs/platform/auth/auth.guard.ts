import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError } from '../http/problem';
import { ApiKeyRegistry } from './api-keys';
import { RateLimiter } from './rate-limiter';
import { Principal, Role } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { ROLES_KEY } from './roles.decorator';

export interface AuthenticatedRequest extends FastifyRequest {
  principal: Principal;
}

/**
 * Every route needs `Authorization: Bearer <key>` (401) and one of its @Roles (403), except
 * @Public ones. Routes without @Roles are for every authenticated principal. Each key is
 * rate-limited when RATE_LIMIT_PER_SECOND is set (429 with Retry-After).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRegistry,
    private readonly limiter: RateLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw ProblemError.of(401, 'send an API key as "Authorization: Bearer <key>"');
    const principal = this.keys.authenticate(match[1]);
    if (!principal) throw ProblemError.of(401, 'unknown API key');
    request.principal = principal;
    const retryAfter = this.limiter.take(principal.name);
    if (retryAfter > 0) {
      context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfter));
      throw ProblemError.of(429, `too many requests for this key; retry in ${retryAfter} s`);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw ProblemError.of(403, `the ${principal.role} role may not do this`);
    }
    return true;
  }
}
