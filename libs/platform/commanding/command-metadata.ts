import { Principal } from '../auth/principal';

/** Who sends a command and which request or event it belongs to: becomes every event's metadata. */
export interface CommandMetadata {
  readonly principal: Principal;
  readonly correlationId: string;
  /** The request id or the event that caused this command (timers: the clock event's id). */
  readonly causationId: string | null;
  /** From If-Match: the revision the caller saw; a different one is a 412. */
  readonly expectedRevision?: number;
  /** From Idempotency-Key: makes event ids deterministic, so a retried request writes nothing new. */
  readonly idempotencyKey?: string;
  /**
   * With an Idempotency-Key: the fingerprint of the request it is bound to (method, route,
   * principal, body). Part of the derived ids, so two different requests can never share them.
   */
  readonly requestFingerprint?: string;
}
