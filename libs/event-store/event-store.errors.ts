import { ExpectedRevision } from './event-store';

/** An append's expected revision did not match the stream: nothing was written. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision, or -1 when it does not exist (when the store tells us). */
    readonly actual: number | null,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual ?? 'unknown'}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** The same event id was appended before with different content or to another place. */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly eventId: string,
    readonly streamId: string,
  ) {
    super(`event ${eventId} already exists elsewhere (append to ${streamId} refused)`);
    this.name = 'DuplicateEventIdError';
  }
}

/** A dependency of the store (database, server) cannot be reached. */
export class EventStoreUnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}
