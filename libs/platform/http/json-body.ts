import { ProblemError } from './problem';

// JSON's own whitespace (RFC 8259) is spelled with control characters on purpose.
// eslint-disable-next-line no-control-regex
const FIRST_NON_WHITESPACE = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/;

/**
 * The deepest nesting of objects and arrays a body may have. Far beyond any request of the API
 * (3 levels), and far below what would overflow the stack of the code that walks a parsed body
 * (validation, transformation): 64 KB of `[` is 65,536 levels.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * An application/json body read the way the service has always read it (Express's body-parser,
 * strict): an empty body is `{}`; anything but an object or an array at the top, or JSON.parse
 * failing, is a 400 "malformed JSON: <what JSON.parse says>". A UTF-8 byte order mark is skipped.
 * Plain JSON.parse, unlike Fastify's parser, which refuses `__proto__` keys: those are left to
 * validation, which refuses unknown fields.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) return {};
  const first = FIRST_NON_WHITESPACE.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw malformed(strictViolation(text, first || undefined));
  if (nestingDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw ProblemError.of(400, `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`, {
      errors: [{ field: 'body', message: `must not nest objects and arrays deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw malformed((error as Error).message);
  }
}

/** Whether the brackets of `text` (outside strings) nest deeper than `max`; one pass, before parsing. */
function nestingDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function malformed(message: string): ProblemError {
  return ProblemError.of(400, `malformed JSON: ${message}`);
}

/**
 * JSON.parse's message for a top-level value that is not an object or array, as body-parser made
 * it: the value is replaced by a character JSON.parse refuses, whose message then names the
 * value's own text.
 */
function strictViolation(text: string, first: string | undefined): string {
  const index = first === undefined ? -1 : text.indexOf(first);
  const partial = index === -1 ? '' : text.slice(0, index) + '#'.repeat(text.length - index);
  try {
    JSON.parse(partial);
    return 'strict violation';
  } catch (error) {
    return (error as Error).message.replace(/#+/g, (placeholder) => text.substring(index, index + placeholder.length));
  }
}
