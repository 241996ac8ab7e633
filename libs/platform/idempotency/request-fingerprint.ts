import { createHash } from 'node:crypto';
import type { AuthenticatedRequest } from '../auth/auth.guard';

/**
 * What an Idempotency-Key is bound to: the method, the route (its pattern and parameters, so
 * `/v1/cases/A/updates` and `/v1/cases/B/updates` differ), the query, the principal and the body,
 * as the SHA-256 of their canonical JSON (object keys sorted, so the same body sent with its
 * fields in another order is the same request).
 */
export function requestFingerprint(request: AuthenticatedRequest): string {
  const known = fingerprints.get(request);
  if (known) return known;
  const fingerprint = sha256(
    canonicalJson({
      method: request.method,
      route: request.routeOptions?.url ?? request.url,
      params: request.params ?? {},
      query: request.query ?? {},
      principal: request.principal.name,
      body: request.body ?? null,
    }),
  );
  fingerprints.set(request, fingerprint);
  return fingerprint;
}

/** The fingerprint of a request that carried an Idempotency-Key (set by the interceptor), if any. */
export function idempotentRequestFingerprint(request: AuthenticatedRequest): string | undefined {
  return fingerprints.get(request);
}

const fingerprints = new WeakMap<object, string>();

/**
 * How the service fingerprinted requests before, to recognise rows stored then: a client's retry
 * of such a request across the upgrade still gets its first answer. Undefined for a body that
 * JSON.stringify cannot serialise (nested too deep): no such request was stored then.
 */
export function legacyRequestHash(request: AuthenticatedRequest): string | undefined {
  try {
    return sha256(`${request.method} ${request.originalUrl}\n${JSON.stringify(request.body ?? null)}`);
  } catch {
    return undefined;
  }
}

/**
 * JSON with every object's keys sorted. Iterative: a parsed body may nest deeper than a recursive
 * serialiser's stack allows (JSON.parse accepts 100k levels, JSON.stringify overflows near 5k).
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Raw) {
      out.push(item.text);
    } else if (Array.isArray(item)) {
      // Pushed in reverse: the stack pops them in order.
      stack.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i] === undefined || typeof item[i] === 'function' ? null : item[i]);
        if (i > 0) stack.push(COMMA);
      }
      out.push('[');
    } else if (
      item !== null &&
      typeof item === 'object' &&
      typeof (item as { toJSON?: unknown }).toJSON !== 'function'
    ) {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined && typeof record[k] !== 'function')
        .sort();
      stack.push(CLOSE_OBJECT);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push(record[keys[i]]);
        stack.push(new Raw(`${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:`));
      }
      out.push('{');
    } else {
      out.push(JSON.stringify(item) ?? 'null');
    }
  }
  return out.join('');
}

class Raw {
  constructor(readonly text: string) {}
}
const COMMA = new Raw(',');
const CLOSE_ARRAY = new Raw(']');
const CLOSE_OBJECT = new Raw('}');

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
