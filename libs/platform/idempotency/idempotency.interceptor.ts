import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { from, Observable, of, switchMap } from 'rxjs';
import { AuthenticatedRequest } from '../auth/auth.guard';
import { ProblemError } from '../http/problem';
import { requestHeader } from '../http/request-headers';
import { IdempotencyStore } from './idempotency.store';

/**
 * Idempotency-Key on command routes: the first successful answer is stored; a repeat with the
 * same key and the same request returns it unchanged and writes nothing; the same key with a
 * different request is a 422. (Event ids derive from the key too, see DeciderCommandRunner, so
 * even a retry racing the first request cannot write twice.)
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<FastifyReply>();
    const key = requestHeader(request, 'idempotency-key');
    if (!key || request.method !== 'POST') return next.handle();
    if (key.length > 200) throw ProblemError.of(400, 'Idempotency-Key is longer than 200 characters', { errors: [{ field: 'Idempotency-Key', message: 'at most 200 characters' }] });
    const principal = request.principal.name;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');

    return from(this.store.find(principal, key)).pipe(
      switchMap((stored) => {
        if (stored) {
          if (stored.requestHash !== requestHash) {
            throw ProblemError.of(422, 'this Idempotency-Key was used for a different request');
          }
          response.status(stored.status);
          if (stored.etag) response.header('ETag', stored.etag);
          response.header('Idempotent-Replayed', 'true');
          return of(stored.body);
        }
        return next.handle().pipe(
          switchMap((body) =>
            from(
              this.store
                .save(principal, key, {
                  requestHash,
                  status: response.statusCode,
                  body,
                  etag: (response.getHeader('ETag') as string | undefined) ?? null,
                })
                .then(() => body),
            ),
          ),
        );
      }),
    );
  }
}
