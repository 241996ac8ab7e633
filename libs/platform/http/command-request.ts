import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { AuthenticatedRequest } from '../auth/auth.guard';
import { ProblemError } from './problem';
import { assertBoundedHeaders, requestHeader } from './request-headers';
import { idempotentRequestFingerprint } from '../idempotency/request-fingerprint';
import { CommandMetadata } from '../commanding/command-metadata';

/**
 * The HTTP edge of every command (controllers only). A command's metadata from its request: the
 * principal, a correlation id (X-Correlation-Id, else a new one), the If-Match revision and the
 * Idempotency-Key.
 */
export function commandMetadataFrom(request: AuthenticatedRequest): CommandMetadata {
  // Bounded (the HTTP adapter refuses them before any route runs); again here: they go into every event.
  assertBoundedHeaders(request.headers);
  // Without X-Correlation-Id, the request id (X-Request-Id or the one generated for it): the
  // access line and the events then share it.
  const correlationId = headerValue(request, 'x-correlation-id') ?? (request.id || randomUUID());
  return {
    principal: request.principal,
    requestFingerprint: idempotentRequestFingerprint(request),
    correlationId,
    causationId: headerValue(request, 'x-request-id') ?? correlationId,
    expectedRevision: parseIfMatch(headerValue(request, 'if-match')),
    idempotencyKey: headerValue(request, 'idempotency-key'),
  };
}

/** `"3"`, `W/"3"` or `3` is revision 3; anything else is a 400 naming the header. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(?:W\/)?"?(-1|\d{1,15})"?$/.exec(value.trim());
  if (!match) {
    throw ProblemError.of(400, 'If-Match must be a revision in quotes, e.g. "3"', {
      errors: [{ field: 'If-Match', message: 'must be a revision such as "3"' }],
    });
  }
  return Number(match[1]);
}

/** Sets `ETag: "<revision>"` and returns the body every command answers with. */
export function commandResponse<T extends object>(
  response: FastifyReply,
  outcome: { revision: number; position: string | null },
  body: T,
): T & { revision: number; position: string | null } {
  response.header('ETag', `"${outcome.revision}"`);
  return { ...body, revision: outcome.revision, position: outcome.position };
}

function headerValue(request: AuthenticatedRequest, name: string): string | undefined {
  return requestHeader(request, name)?.trim() || undefined;
}
