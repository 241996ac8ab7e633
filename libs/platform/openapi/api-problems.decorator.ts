import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto';

const WHY: Record<number, string> = {
  400: 'The request is malformed or a field is invalid (`errors` names each field)',
  401: 'No API key, or one the service does not know',
  403: "The key's role may not do this (or a partner key names another partner)",
  404: 'No such resource (or one this key may not see)',
  409: 'The command does not apply in the current state of the case, or the resource already exists',
  412: 'If-Match names a revision that is no longer the current one',
  422: 'The Idempotency-Key was used before with a different request',
  431: 'The request head (headers) is too large',
  429: 'Too many requests for this key or address (see Retry-After)',
  503: 'A dependency (store, Redis) is unavailable or a read did not catch up in time (see Retry-After)',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' as const } },
};

/** Documents problem+json error answers (RFC 9457) with the shared Problem schema. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: WHY[status] ?? 'Error',
        ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}

/** What any authenticated read can answer. */
export const READ_PROBLEMS = [400, 401, 403, 429, 503];
/** What a command on an existing resource can answer. */
export const COMMAND_PROBLEMS = [400, 401, 403, 404, 409, 412, 422, 429, 503];

/** The headers of a command: optimistic concurrency and safe retries. */
export function ApiCommandHeaders(options: { ifMatch: boolean }): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...(options.ifMatch
      ? [
          ApiHeader({
            name: 'If-Match',
            required: false,
            description:
              'The revision the command expects (the ETag of the last read or command); a stale one is a 412',
            schema: { type: 'string', example: '"3"' },
          }),
        ]
      : []),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'A retry with the same key and request answers the first result and writes nothing; the same key with another request is a 422',
      schema: { type: 'string', maxLength: 200, example: '0b6f3c2e-6a43-4e0c-9d1c-2f3a4b5c6d7e' },
    }),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      description: 'Carried into the metadata of every event the command writes (a new one when absent)',
      schema: { type: 'string', maxLength: 200 },
    }),
  );
}
