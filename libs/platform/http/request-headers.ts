import { ProblemError } from './problem';
import type { FastifyRequest } from 'fastify';

/**
 * One request header as sent (the first value if it came as a list), or undefined. Node already
 * joins repeated headers into one value except for a few (set-cookie), as Express's req.header()
 * returned them.
 */
export function requestHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The request headers the service stores or keys on, bounded in length and characters: a
 * correlation or request id is written into every event of the command (so 15 KB of it would be
 * too), an Idempotency-Key is stored with the answer.
 */
const BOUNDED_HEADERS: Array<{ name: string; pattern: RegExp; message: string }> = [
  {
    name: 'X-Correlation-Id',
    pattern: /^[A-Za-z0-9._:-]{1,128}$/,
    message: 'must be 1-128 letters, digits, ".", "_", ":" or "-"',
  },
  {
    name: 'X-Request-Id',
    pattern: /^[A-Za-z0-9._:-]{1,128}$/,
    message: 'must be 1-128 letters, digits, ".", "_", ":" or "-"',
  },
  { name: 'Idempotency-Key', pattern: /^[\x20-\x7e]{1,200}$/, message: 'must be 1-200 printable ASCII characters' },
];

/**
 * Refuses (400, naming the header) a request whose bounded headers are out of bounds. A header
 * that is empty or blank counts as absent, as it always has (commandMetadataFrom()).
 */
export function assertBoundedHeaders(headers: Record<string, string | string[] | undefined>): void {
  for (const { name, pattern, message } of BOUNDED_HEADERS) {
    const raw = headers[name.toLowerCase()];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value && !pattern.test(value)) {
      throw ProblemError.of(400, `the ${name} header ${message}`, { errors: [{ field: name, message }] });
    }
  }
}
