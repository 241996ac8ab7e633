import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and no whitespace: the same policy always gives the
 * same text, whatever the key order or indentation of the file it came from. Array order is kept
 * (it means something: closedDates, opening intervals); undefined members are left out, as
 * JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The content hash of a parsed SLA policy ("sha256:" and 64 hex digits): what pins a version to its
 * rules. Two files that parse to the same policy share it; any change of a target, hour or date
 * changes it. Hashing is pure computation, so the domain may do it.
 */
export function policyFingerprint(policy: object): string {
  return `sha256:${createHash('sha256').update(canonicalJson(policy)).digest('hex')}`;
}
