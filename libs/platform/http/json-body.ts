import { ProblemError } from './problem';

const FIRST_NON_WHITESPACE = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/;

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
  try {
    return JSON.parse(text);
  } catch (error) {
    throw malformed((error as Error).message);
  }
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
