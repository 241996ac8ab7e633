/**
 * Errors a decision may refuse with. The HTTP layer maps them to problem+json:
 * validation -> 400, not found -> 404, illegal state -> 409.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'validation' | 'not_found' | 'illegal_state';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command itself is malformed or names values the domain does not accept. */
export class ValidationError extends DomainError {
  readonly kind = 'validation' as const;
  constructor(
    message: string,
    readonly field?: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

/** Something the command refers to does not exist (an engineer, the case itself). */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
}

/** The command makes no sense in the aggregate's current state (HTTP 409). */
export class IllegalStateError extends DomainError {
  readonly kind = 'illegal_state' as const;
}
