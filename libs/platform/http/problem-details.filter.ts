import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../../domain/shared/domain-errors';
import { WrongExpectedRevisionError } from '../../event-store/event-store.errors';
import { JsonLogger } from '../logging/json-logger';
import { Problem, ProblemError, problem } from './problem';

/** Turns every error into application/problem+json; anything unexpected is logged and is a 500. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toProblem(error);
    if (body.status >= 500) {
      this.logger.event('error', 'request failed', { error: (error as Error)?.message, stack: (error as Error)?.stack }, 'Http');
    }
    if (response.headersSent) return;
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof ProblemError) return error.problem;
    if (error instanceof DomainError) {
      const status = { validation: 400, not_found: 404, illegal_state: 409 }[error.kind];
      const field = (error as { field?: string }).field;
      return problem(status, error.message, field ? { errors: [{ field, message: error.message }] } : {});
    }
    if (error instanceof WrongExpectedRevisionError) {
      return problem(409, 'the case changed while this command ran; retry it');
    }
    if (error instanceof HttpException) return fromHttpException(error);
    const bodyParser = error as { type?: string; status?: number; message?: string };
    if (bodyParser?.type === 'entity.too.large') return problem(413, 'the request body is larger than allowed');
    if (bodyParser?.type === 'entity.parse.failed') return problem(400, `malformed JSON: ${bodyParser.message}`);
    return problem(500, 'an unexpected error occurred; it has been logged');
  }
}

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  const response = error.getResponse();
  if (typeof response === 'object' && response !== null && 'type' in response && 'title' in response) {
    return response as Problem;
  }
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  // Body parser errors reach us wrapped by Nest with their original status.
  const cause = (error as { cause?: { type?: string } }).cause;
  if (status === 413 || cause?.type === 'entity.too.large') return problem(413, 'the request body is larger than allowed');
  // Nest turns body-parser's SyntaxError into a plain BadRequestException carrying its message.
  if (status === 400 && typeof message === 'string' && /JSON|Unexpected token|Unexpected end/.test(message)) {
    return problem(400, `malformed JSON: ${message}`);
  }
  return problem(status, Array.isArray(message) ? message.join('; ') : String(message ?? error.message));
}
