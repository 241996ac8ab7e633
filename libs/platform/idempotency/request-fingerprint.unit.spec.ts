import { SYSTEM_PRINCIPAL } from '../auth/principal';
import { deterministicUuid } from '../ids/deterministic-uuid';
import { idempotentId } from '../commanding/command-ids';
import { canonicalJson } from './request-fingerprint';

describe('canonicalJson', () => {
  it('sorts every object key, keeps array order, and is JSON otherwise', () => {
    const a = { b: 1, a: { d: [3, { y: null, x: 'é"\n' }], c: true }, z: undefined };
    const b = { a: { c: true, d: [3, { x: 'é"\n', y: null }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":true,"d":[3,{"x":"é\\"\\n","y":null}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(JSON.parse(canonicalJson(a))).toEqual(JSON.parse(JSON.stringify(a)));
    expect(canonicalJson([1, undefined, 'x'])).toBe(JSON.stringify([1, undefined, 'x']));
    expect(canonicalJson({ d: new Date('2026-01-02T03:04:05Z') })).toBe('{"d":"2026-01-02T03:04:05.000Z"}');
    for (const value of [null, 0, -1.5, 'text', true, [], {}, [[]], [{}]])
      expect(canonicalJson(value)).toBe(JSON.stringify(value));
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('tells different values apart', () => {
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson({ 'a":1,"b': 2 })).not.toBe(canonicalJson({ a: 1, b: 2 }));
  });

  it('does not overflow the stack on a body nested as deep as JSON.parse accepts', () => {
    const depth = 100_000;
    const nested = JSON.parse('{"a":'.repeat(depth) + '[1]' + '}'.repeat(depth));
    expect(() => JSON.stringify(nested)).toThrow(RangeError);
    expect(canonicalJson(nested)).toHaveLength(depth * 6 + 3);
  });
});

describe('deterministicUuid and idempotentId', () => {
  it('is a version 5 layout UUID, the same for the same parts', () => {
    const id = deterministicUuid('case', 'alice', 'key-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('case', 'alice', 'key-1')).toBe(id);
    expect(deterministicUuid('case\nalice\nkey-1')).toBe(id);
    expect(deterministicUuid('case', 'alice', 'key-2')).not.toBe(id);
  });

  it('derives ids from the principal, the key and the request fingerprint; none without a key', () => {
    const metadata = { principal: SYSTEM_PRINCIPAL, correlationId: 'c', causationId: null };
    expect(idempotentId(metadata, 'case')).toBeUndefined();
    const keyed = { ...metadata, idempotencyKey: 'k' };
    const update = idempotentId({ ...keyed, requestFingerprint: 'fp-update' }, 'case-1', '0');
    const resolution = idempotentId({ ...keyed, requestFingerprint: 'fp-resolution' }, 'case-1', '0');
    expect(update).toBe(idempotentId({ ...keyed, requestFingerprint: 'fp-update' }, 'case-1', '0'));
    expect(resolution).not.toBe(update);
    expect(idempotentId({ ...keyed, requestFingerprint: 'fp-update' }, 'case-1', '1')).not.toBe(update);
    expect(idempotentId({ ...keyed, idempotencyKey: 'k2', requestFingerprint: 'fp-update' }, 'case-1', '0')).not.toBe(
      update,
    );
  });
});
