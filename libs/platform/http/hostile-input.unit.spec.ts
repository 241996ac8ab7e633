import { MAX_JSON_DEPTH, parseJsonBody } from './json-body';
import { ProblemError } from './problem';
import { assertBoundedHeaders } from './request-headers';
import { assertStorableInput } from './unstorable-strings';

/** The problem `act` throws (fails the test if it throws nothing or something else). */
function problemOf(act: () => unknown) {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemError);
    return (error as ProblemError).problem;
  }
  throw new Error('expected a ProblemError');
}

describe('parseJsonBody: nesting depth', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it(`reads ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1} with a 400 naming the body`, () => {
    expect(parseJsonBody(Buffer.from(nested(MAX_JSON_DEPTH)))).toBeDefined();
    expect(problemOf(() => parseJsonBody(Buffer.from(nested(MAX_JSON_DEPTH + 1))))).toMatchObject({
      status: 400,
      errors: [{ field: 'body' }],
    });
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '['.repeat(100) + '\\"[[[' + '{'.repeat(100) });
    expect(parseJsonBody(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  it('refuses 64 KB of brackets without parsing them', () => {
    expect(problemOf(() => parseJsonBody(Buffer.from(nested(32 * 1024))))).toMatchObject({ status: 400 });
  });
});

describe('assertStorableInput', () => {
  it.each<[string, { body?: unknown; query?: unknown; params?: unknown }, string]>([
    ['a NUL in a body field', { body: { summary: 'a\u0000b' } }, 'summary'],
    ['a lone high surrogate, nested', { body: { contact: { name: 'x\ud800' } } }, 'contact.name'],
    [
      'a lone low surrogate in a list',
      { body: { attachments: [{ name: 'ok' }, { name: '\udc00' }] } },
      'attachments[1].name',
    ],
    ['a NUL in a key', { body: { 'a\u0000': 1 } }, 'a\u0000'],
    ['a NUL in a query value', { query: { partnerId: 'p\u0000' } }, 'partnerId'],
    ['a NUL in a repeated query value', { query: { status: ['open', '\u0000'] } }, 'status[1]'],
    ['a NUL in a path parameter', { params: { id: 'x\u0000' } }, 'id'],
  ])('refuses %s, naming the field', (_name, input, field) => {
    expect(problemOf(() => assertStorableInput(input))).toMatchObject({ status: 400, errors: [{ field }] });
  });

  it('accepts paired surrogates (emoji) and every other character', () => {
    expect(() =>
      assertStorableInput({ body: { summary: 'mail \ud83d\udce7 \u00e9\u2028\u0001' }, query: {}, params: {} }),
    ).not.toThrow();
  });
});

describe('assertBoundedHeaders', () => {
  it.each([
    ['x-correlation-id', 'c'.repeat(129), 'X-Correlation-Id'],
    ['x-correlation-id', 'a b', 'X-Correlation-Id'],
    ['x-request-id', 'r;1', 'X-Request-Id'],
    ['idempotency-key', 'k'.repeat(201), 'Idempotency-Key'],
    ['idempotency-key', 'caf\u00e9', 'Idempotency-Key'],
  ])('refuses %s = %j, naming the header', (name, value, field) => {
    expect(problemOf(() => assertBoundedHeaders({ [name]: value }))).toMatchObject({
      status: 400,
      errors: [{ field }],
    });
  });

  it('accepts values within bounds, and blank values (absent)', () => {
    expect(() =>
      assertBoundedHeaders({
        'x-correlation-id': 'c'.repeat(128),
        'x-request-id': 'req-1:a.b_c',
        'idempotency-key': `${'k'.repeat(190)} ~!@#$%^&*`,
        'x-other': 'x'.repeat(5000),
      }),
    ).not.toThrow();
    expect(() => assertBoundedHeaders({ 'x-correlation-id': '  ', 'idempotency-key': '' })).not.toThrow();
  });
});
