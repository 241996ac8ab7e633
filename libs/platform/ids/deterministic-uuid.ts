import { createHash } from 'node:crypto';

/**
 * A name-based UUID (the version 5 layout over SHA-1, RFC 9562), the same for the same parts:
 * ids that a retried request must derive again (its events, the case a submission creates).
 * The parts are joined with newlines (`deterministicUuid('a', 'b')` is `deterministicUuid('a\nb')`),
 * which HTTP header values, hashes and ids cannot contain.
 */
export function deterministicUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\n')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
