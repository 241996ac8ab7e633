import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { WrongExpectedRevisionError } from '../../event-store/event-store.errors';
import { AuthenticatedRequest } from '../auth/auth.guard';
import { JsonLogger } from '../logging/json-logger';
import { Problem, ProblemError } from '../http/problem';
import { toProblem } from '../http/problem-details.filter';
import { requestHeader } from '../http/request-headers';
import { IdempotencyStore, StoredResponse } from './idempotency.store';
import { legacyRequestHash, requestFingerprint } from './request-fingerprint';

/** How long a repeat waits for the first request with its key to finish before a 409. */
const WAIT_MS = 30_000;
/** Polling the database for a request another process runs: from 10 ms, growing, at most this. */
const MAX_POLL_MS = 200;

/**
 * Idempotency-Key on command routes, exactly once. The key is bound to the first request that
 * claims it (its fingerprint: method, route, principal, body); that request runs, and its answer
 * (a success or a refusal) is stored. A repeat of it, even one sent while it still runs, gets that
 * answer (same status, body and ETag, with `Idempotent-Replayed: true`) and writes nothing; the
 * key with another request is a 422, also while the first runs. A run that fails with a 5xx gives
 * the key up, so a retry runs again. (Event ids derive from the key and the fingerprint too, see
 * CommandHandler.handleCommand: a retry that takes over a crashed run's claim cannot write twice.)
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  /** The requests this process runs now, by principal and key: its own waiters wake when one ends. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly store: IdempotencyStore,
    private readonly logger: JsonLogger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<FastifyReply>();
    // Trimmed, as commandMetadataFrom reads it for the derived ids.
    const key = requestHeader(request, 'idempotency-key')?.trim();
    if (!key || request.method !== 'POST') return next.handle();
    if (key.length > 200)
      throw ProblemError.of(400, 'Idempotency-Key is longer than 200 characters', {
        errors: [{ field: 'Idempotency-Key', message: 'at most 200 characters' }],
      });
    return from(this.once(request, response, key, next));
  }

  private async once(
    request: AuthenticatedRequest,
    response: FastifyReply,
    key: string,
    next: CallHandler,
  ): Promise<unknown> {
    const principal = request.principal.name;
    const fingerprint = requestFingerprint(request);
    const legacy = legacyRequestHash(request);
    const deadline = Date.now() + WAIT_MS;
    for (let round = 0; ; round++) {
      const claim = await this.store.claim(principal, key, fingerprint, legacy);
      switch (claim.kind) {
        case 'mismatch':
          throw ProblemError.of(
            422,
            'this Idempotency-Key was used for a different request (another body, route or method); use a new key',
          );
        case 'done':
          return replay(response, claim.response);
        case 'claimed':
          return this.run(principal, key, claim.token, response, next);
        case 'running':
          if (Date.now() >= deadline) {
            response.header('Retry-After', '1');
            throw ProblemError.of(409, 'a request with this Idempotency-Key is still running; retry it later');
          }
          await this.settled(principal, key, Math.min(10 * 1.5 ** round, MAX_POLL_MS));
      }
    }
  }

  /** Runs the request that holds the claim, and stores its answer. */
  private async run(
    principal: string,
    key: string,
    token: string,
    response: FastifyReply,
    next: CallHandler,
  ): Promise<unknown> {
    const id = `${principal}\n${key}`;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    this.running.set(id, done);
    try {
      let body: unknown;
      try {
        body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      } catch (error) {
        await this.settleFailure(principal, key, token, error);
        throw error;
      }
      const etag = response.getHeader('ETag');
      const answer: StoredResponse = {
        status: response.statusCode,
        body,
        etag: typeof etag === 'string' ? etag : null,
      };
      // The command is stored: its answer is the truth even if recording it fails. The claim then
      // stays pending, and a retry after the lease runs it again, which writes nothing new.
      await this.store
        .complete(principal, key, token, answer)
        .catch((error) => this.warn('could not store the answer', key, error));
      return body;
    } finally {
      if (this.running.get(id) === done) this.running.delete(id);
      finished();
    }
  }

  /**
   * A refusal is the key's answer (nothing was written, and a retry of the same request would be
   * refused again, or, if the case changed meanwhile, do what its sender no longer expects). A
   * failure that may pass on a retry (5xx, 503, a rate limit, a conflict that says "retry")
   * releases the key instead.
   */
  private async settleFailure(principal: string, key: string, token: string, error: unknown): Promise<void> {
    const problem = toProblem(error);
    try {
      if (isFinalRefusal(error, problem.status)) {
        await this.store.complete(principal, key, token, { status: problem.status, body: problem, etag: null });
      } else {
        await this.store.release(principal, key, token);
      }
    } catch (storeError) {
      // Unreleased, the claim blocks the key for the lease only.
      this.warn('could not settle a failed request', key, storeError);
    }
  }

  /** Resolves when this process's run of the key ends, or after `pauseMs` (another process runs it). */
  private async settled(principal: string, key: string, pauseMs: number): Promise<void> {
    const local = this.running.get(`${principal}\n${key}`);
    let timer: NodeJS.Timeout | undefined;
    const pause = new Promise<void>((resolve) => (timer = setTimeout(resolve, local ? MAX_POLL_MS : pauseMs)));
    await (local ? Promise.race([local, pause]) : pause);
    clearTimeout(timer);
  }

  private warn(message: string, key: string, error: unknown): void {
    this.logger.event(
      'warn',
      `idempotency: ${message}`,
      { idempotencyKey: key, error: (error as Error)?.message },
      'Idempotency',
    );
  }
}

function replay(response: FastifyReply, stored: StoredResponse): unknown {
  response.header('Idempotent-Replayed', 'true');
  if (stored.etag) response.header('ETag', stored.etag);
  // A stored refusal is answered as the problem it was (the exception filter sends it).
  if (stored.status >= 400) throw new ProblemError(stored.body as Problem);
  response.status(stored.status);
  return stored.body;
}

function isFinalRefusal(error: unknown, status: number): boolean {
  if (status < 400 || status >= 500) return false;
  if (error instanceof WrongExpectedRevisionError) return false;
  return ![408, 425, 429].includes(status);
}
