import type { CommandMetadata } from '../commanding/command-metadata';
import { deterministicUuid } from '../ids/deterministic-uuid';

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
