import { ProblemError } from './problem';

/** A NUL, or a UTF-16 surrogate without its pair: neither can be stored (PostgreSQL's jsonb and text refuse them). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses, with a 400 naming the field, any string in a request's body, query string or path
 * parameters (a value or a key) that could not be stored: checked at the edge, so no such string
 * reaches validation, a handler or the database (which would answer a 500 after a partial write).
 * Field names are written as the validation pipe writes them (`contact.name`, `attachments[0]`).
 */
export function assertStorableInput(input: { body?: unknown; query?: unknown; params?: unknown }): void {
  for (const part of [input.params, input.query, input.body]) {
    const field = findUnstorable(part, '');
    if (field !== null) {
      throw ProblemError.of(
        400,
        `${field || 'the body'} contains a NUL character or an unpaired surrogate, which cannot be stored`,
        {
          errors: [
            { field: field || 'body', message: 'must not contain a NUL character or an unpaired UTF-16 surrogate' },
          ],
        },
      );
    }
  }
}

/** The path of the first unstorable string in `value` ('' for `value` itself), or null. */
function findUnstorable(value: unknown, path: string): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return childPath;
    const found = findUnstorable(child, childPath);
    if (found !== null) return found;
  }
  return null;
}
