import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError } from '../http/problem';
import { ApiKeyRegistry } from './api-keys';
import { RequestThrottle } from './request-throttle';
import { Principal, Role } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { ROLES_KEY } from './roles.decorator';

export interface AuthenticatedRequest extends FastifyRequest {
  principal: Principal;
}

/**
 * Every route needs `Authorization: Bearer <key>` (401) and one of its @Roles (403), except
 * @Public ones. Routes without @Roles are for every authenticated principal.
 *
 * Limits (RequestThrottle, shared by the API processes through Redis), each a 429 with
 * Retry-After: an unknown key counts as a failure of the client's address, and past
 * AUTH_FAILURES_PER_MINUTE its further failures get 429 instead of 401 until the minute is over.
 * Only failures are throttled: a valid key from that address still works, so that clients behind
 * the same address (a NAT, a proxy) cannot be locked out by someone guessing. Then each key is
 * limited to RATE_LIMIT_PER_SECOND.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRegistry,
    private readonly throttle: RequestThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw ProblemError.of(401, 'send an API key as "Authorization: Bearer <key>"');
    const principal = this.keys.authenticate(match[1]);
    if (!principal) {
      const wait = await this.throttle.recordFailure(request.ip);
      if (wait > 0) this.refuse(context, wait, `too many failed authentications from this address; retry in ${wait} s`);
      throw ProblemError.of(401, 'unknown API key');
    }
    request.principal = principal;
    const wait = await this.throttle.takeForKey(principal.name);
    if (wait > 0) this.refuse(context, wait, `too many requests for this key; retry in ${wait} s`);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw ProblemError.of(403, `the ${principal.role} role may not do this`);
    }
    return true;
  }

  private refuse(context: ExecutionContext, seconds: number, detail: string): never {
    context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(seconds));
    throw ProblemError.of(429, detail);
  }
}
