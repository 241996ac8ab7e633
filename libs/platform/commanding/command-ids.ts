import { deterministicUuid } from '../ids/deterministic-uuid';
import { uuidv7 } from '../ids/uuid-v7';
import type { CommandMetadata } from './command-metadata';

/**
 * An id that a retry of the same request derives again (event ids, the case a submission
 * creates), or undefined for a command without an Idempotency-Key. It depends on the principal,
 * the key and the fingerprint of the request the key is bound to: two different requests sent
 * with one key never share ids, so the event store can never take one for a retry of the other.
 */
export function idempotentId(metadata: CommandMetadata, ...parts: string[]): string | undefined {
  if (!metadata.idempotencyKey) return undefined;
  const scope = [metadata.principal.name, metadata.idempotencyKey];
  if (metadata.requestFingerprint) scope.push(metadata.requestFingerprint);
  return deterministicUuid(...scope, ...parts);
}

/**
 * The id of the `index`-th event a command writes to `streamId`. With an Idempotency-Key a retried
 * request derives the same ids, so the store ignores it (and another request with the key derives
 * others). Otherwise time-ordered ids: the store's unique index on them grows like a sequence.
 */
export function commandEventId(metadata: CommandMetadata, streamId: string, index: number): string {
  return idempotentId(metadata, streamId, String(index)) ?? uuidv7();
}
