import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../domain/shared/domain-errors';
import { WrongExpectedRevisionError } from '../../event-store/event-store.errors';
import { StaleRevisionError } from '../commanding/command-errors';
import { JsonLogger } from '../logging/json-logger';
import { asDependencyUnavailable } from '../health/dependency-unavailable';
import { Problem, ProblemError, problem } from './problem';

/** Turns every error into application/problem+json; anything unexpected is logged and is a 500. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const body = toProblem(error);
    if (body.status === 503)
      this.logger.event('warn', 'request met an unavailable dependency', { error: (error as Error)?.message }, 'Http');
    else if (body.status >= 500) {
      this.logger.event(
        'error',
        'request failed',
        { error: (error as Error)?.message, stack: (error as Error)?.stack },
        'Http',
      );
    }
    // An SSE stream writes to the raw response: once its headers are out, nothing can be sent.
    if (response.sent || response.raw.headersSent) return;
    sendProblem(response, body);
  }
}

/** Answers with `body` as application/problem+json. */
export function sendProblem(response: FastifyReply, body: Problem): void {
  // With the charset, as Express's res.send() labelled it.
  if (typeof body.retryAfter === 'number') response.header('Retry-After', String(body.retryAfter));
  response.status(body.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
}

/**
 * The problem an error answers with. Used by the filter, and for the errors Fastify raises before
 * any route runs (see createHttpAdapter()).
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  // The caller's If-Match is behind the stream: nothing was written; the body says where it is.
  if (error instanceof StaleRevisionError) return problem(412, error.message, { currentRevision: error.actual });
  if (error instanceof DomainError) {
    const status = { validation: 400, not_found: 404, illegal_state: 409 }[error.kind];
    const field = (error as { field?: string }).field;
    // A refusal that names its reason (a code, e.g. contract-not-bound-to-partner) says it in the body too.
    const reason = typeof error.details.reason === 'string' ? { reason: error.details.reason } : {};
    return problem(status, error.message, field ? { ...reason, errors: [{ field, message: error.message }] } : reason);
  }
  // A lost database or Redis connection: 503 with Retry-After, never a 500.
  const unavailable = asDependencyUnavailable(error);
  if (unavailable) return unavailable.toProblem();
  if (error instanceof WrongExpectedRevisionError) {
    return problem(409, 'the case changed while this command ran; retry it');
  }
  if (error instanceof HttpException) return fromHttpException(error);
  // Fastify's own errors reach the filter wrapped by Nest in an HttpException of their status
  // (a body over the limit: 413); those of its router (a URL that cannot be decoded) do not.
  if (isFastifyError(error) && error.statusCode < 500)
    return fromHttpException(new HttpException(error.message, error.statusCode));
  return problem(500, 'an unexpected error occurred; it has been logged');
}

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  const response = error.getResponse();
  if (typeof response === 'object' && response !== null && 'type' in response && 'title' in response) {
    return response as Problem;
  }
  if (status === 413) return problem(413, 'the request body is larger than allowed');
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  // Anything but a string or a list of strings (an object, a number) would print as "[object Object]" or worse.
  return problem(
    status,
    Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message,
  );
}

function isFastifyError(error: unknown): error is Error & { statusCode: number } {
  return (
    error instanceof Error &&
    error.name === 'FastifyError' &&
    typeof (error as { statusCode?: unknown }).statusCode === 'number'
  );
}
