import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { EventStore } from '../../libs/event-store/event-store';
import { EVENT_STORE } from '../../libs/platform/tokens';
import { TEST_KEYS, TestKey, TestService } from './test-service';
import { caseBody, registerEngineer, submitCase, unique } from './case-fixtures';

/**
 * Property-based fuzzing (fast-check) of every route of the OpenAPI document a service serves
 * (/docs-json): a new route is fuzzed as soon as it is documented. Each request is malformed or
 * hostile somewhere (path parameters, query string, body, content encoding, headers, key), or
 * near-valid, to get past validation into the handlers. Requests to the writing routes go one
 * after another, so that the store's head before and after each says exactly what it wrote; GET
 * requests go in batches of READ_CONCURRENCY, and no batch may write at all. For every request: no
 * status >= 500, every 4xx is application/problem+json whose `status` is the HTTP status, and a
 * refused request (>= 400) appended no event. At the end: the service is healthy and its
 * projections reach the last accepted write (an accepted input they cannot project would stall
 * them). Throws (with fast-check's counterexample and seed) at the first failure.
 */
export async function fuzzEveryRoute(
  service: TestService,
  options: { requests: number; minPerRoute?: number },
): Promise<FuzzReport> {
  const { operations, components } = await documentedOperations(service);
  const seeds = await makeSeeds(service);
  const store = service.service.app.get<symbol, EventStore>(EVENT_STORE, { strict: false });
  const perRoute = Math.max(options.minPerRoute ?? 60, Math.ceil(options.requests / operations.length));
  const statuses: Record<number, number> = {};
  let sent = 0;
  // Read routes first, many at once: a GET writes nothing whatever it answers, so a batch needs one
  // look at the store's head before and after, not one per request (thousands of one-at-a-time
  // round trips are what made this file slow on a busy machine).
  const reads = operations.filter((o) => o.method === 'get');
  const seed = Number(process.env.FUZZ_SEED ?? Date.now());
  const batch = reads.flatMap((operation, i) =>
    fc
      .sample(requestFor(operation, components, seeds), { numRuns: perRoute, seed: seed + i })
      .map((request) => ({ operation, request })),
  );
  for (let start = 0; start < batch.length; start += READ_CONCURRENCY) {
    const group = batch.slice(start, start + READ_CONCURRENCY);
    const before = await store.headCheckpoint!();
    const outcomes = await Promise.all(group.map(({ operation, request }) => send(service, operation, request)));
    group.forEach(({ operation, request }, i) => {
      sent++;
      statuses[outcomes[i].status] = (statuses[outcomes[i].status] ?? 0) + 1;
      const problem = unsoundAnswer(outcomes[i]);
      if (problem) throw new Error(`${problem}: ${what(operation, request, outcomes[i])} (FUZZ_SEED=${seed})`);
    });
    const after = await store.headCheckpoint!();
    if (after !== before) {
      const written = await writtenSince(store, before);
      if (written.length)
        throw new Error(
          `a read appended ${written.map((e) => e.type).join(', ')}; one of (FUZZ_SEED=${seed}):\n${group
            .map(({ operation, request }, i) => what(operation, request, outcomes[i]))
            .join('\n')}`,
        );
    }
  }
  // Then the writing routes one request at a time, so that the head before and after each says
  // exactly what it wrote.
  let head = await store.headCheckpoint!();
  // Declared wide: it is set inside the requests' callbacks, which the compiler's narrowing does not see.
  let lastPosition = null as string | null;
  for (const operation of operations.filter((o) => o.method !== 'get')) {
    await fc.assert(
      fc.asyncProperty(requestFor(operation, components, seeds), async (request) => {
        const outcome = await send(service, operation, request);
        sent++;
        statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
        const problem = unsoundAnswer(outcome);
        if (problem) throw new Error(`${problem}: ${what(operation, request, outcome)}`);
        const next = await store.headCheckpoint!();
        if (next !== head && outcome.status >= 400) {
          const written = await writtenSince(store, head);
          if (written.length)
            throw new Error(
              `a refused request appended ${written.map((e) => e.type).join(', ')}: ${what(operation, request, outcome)}`,
            );
        }
        head = next;
        const position = (outcome.body as { position?: unknown } | null)?.position;
        if (outcome.status < 300 && typeof position === 'string') lastPosition = position;
      }),
      { numRuns: perRoute, endOnFailure: true },
    );
  }
  const health = await service.request('GET', '/health', { key: null });
  if (health.status !== 200)
    throw new Error(`GET /health answers ${health.status} after the fuzzing: ${JSON.stringify(health.body)}`);
  if (lastPosition === null) throw new Error('no fuzzed request was accepted: the fuzzer never reached a handler');
  for (const path of ['/v1/cases', '/v1/engineers', '/v1/alerts']) {
    const read = await service.request('GET', `${path}?consistentWith=${lastPosition}`);
    if (read.status !== 200)
      throw new Error(
        `the projections did not reach the last accepted write: GET ${path} answers ${read.status} ${JSON.stringify(read.body)}`,
      );
  }
  return { sent, routes: operations.map((o) => `${o.method.toUpperCase()} ${o.path}`), statuses };
}

/** GET requests sent at once (a batch), bounded: enough to overlap their waits, not a flood. */
const READ_CONCURRENCY = 8;

/** What is wrong with an answer, or null: a 5xx, or a 4xx that is not problem+json of its status. */
function unsoundAnswer(outcome: Outcome): string | null {
  if (outcome.status >= 500) return `a ${outcome.status}`;
  if (outcome.status >= 400) {
    const problem = outcome.body as { status?: unknown; type?: unknown; title?: unknown } | null;
    if (
      !outcome.contentType.startsWith('application/problem+json') ||
      problem?.status !== outcome.status ||
      typeof problem.type !== 'string' ||
      typeof problem.title !== 'string'
    )
      return `a ${outcome.status} that is not a problem+json of that status`;
  }
  return null;
}

function what(operation: Operation, request: FuzzRequest, outcome: Outcome): string {
  return `${describeRequest(operation, request)}\n-> ${outcome.status} ${outcome.contentType} ${JSON.stringify(outcome.body).slice(0, 1000)}`;
}

/** The events appended after `head`, but the SLA timers' (actor `system`): only they write on their own. */
async function writtenSince(store: EventStore, head: string | null) {
  return (await store.readAll({ after: head, maxCount: 100 })).events.filter((e) => e.metadata.actor !== 'system');
}

export interface FuzzReport {
  sent: number;
  routes: string[];
  statuses: Record<number, number>;
}

/** A request that takes longer than this is a failure (no route may hang). */
const REQUEST_TIMEOUT_MS = 20_000;

async function documentedOperations(
  service: TestService,
): Promise<{ operations: Operation[]; components: Record<string, Schema> }> {
  const document: any = await (await fetch(`${service.url}/docs-json`)).json();
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const parameters: any[] = op.parameters ?? [];
      operations.push({
        method,
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return { operations, components: document.components?.schemas ?? {} };
}

/** Known-good values: an engineer, a case and a cursor that exist, and a valid body per known route. */
async function makeSeeds(service: TestService): Promise<Seeds> {
  const engineerId = `e-fuzz-${unique()}`;
  await registerEngineer(service, engineerId);
  const { caseId } = await submitCase(service, { proposedSeverity: 'B' });
  await submitCase(service);
  const list = await service.request('GET', '/v1/cases?limit=1');
  return {
    params: {
      id: [caseId, '6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab'],
      engineerId: [engineerId, 'e-nobody'],
      name: ['no-such-projection'],
    },
    query: {
      cursor: [String(list.body.nextCursor ?? '')],
      consistentWith: ['1', '0'],
      limit: ['1', '200', '201', '0', '-1', '1.5'],
    },
    bodies: {
      'post /v1/cases': caseBody(),
      'post /v1/engineers': { name: 'Fuzz', email: 'fuzz@example.com', timeZone: 'Europe/Paris' },
      'post /v1/engineers/{engineerId}/availability': { status: 'away' },
      'post /v1/cases/{id}/severity': { severity: 'B', reason: 'fuzz' },
      'post /v1/cases/{id}/partner-availability': { available24x7: true },
      'post /v1/cases/{id}/assignment': { engineerId },
      'post /v1/cases/{id}/updates': { channel: 'email', summary: 'fuzz' },
      'post /v1/cases/{id}/escalations': { reason: 'fuzz' },
      'post /v1/cases/{id}/severity-a-calls': { caller: 'fuzz' },
      'post /v1/cases/{id}/resolution': { summary: 'fuzz' },
      'post /v1/cases/{id}/reopening': { reason: 'fuzz' },
    },
  };
}

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: Array<{ name: string; schema: Schema }>;
  body: Schema | null;
}
interface Schema {
  type?: string | string[];
  anyOf?: Schema[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
  nullable?: boolean;
}
interface FuzzRequest {
  key: TestKey | 'unknown' | 'malformed' | null;
  params: Record<string, string>;
  query: Array<[string, string]>;
  body: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string };
  encoding: 'none' | 'gzip' | 'deflate' | 'br' | 'gzip-claimed' | 'bogus';
  headers: Record<string, string>;
}

// ---- hostile values ---------------------------------------------------------------------------

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\udbff\udfff',
  '\u202e\u0301',
  '2026-W05-3',
  '2026-035',
  '2026-02-30T10:00:00Z',
  '+275760-09-13T00:00:00Z',
  '1',
  '-1',
  '0',
  '1e309',
  'NaN',
  '99999999999999999999',
  '9223372036854775808',
  '-9223372036854775809',
  '../../etc/passwd',
  '%00',
  '%ED%A0%80',
  '<script>alert(1)</script>',
  "'; drop table events; --",
  'SR-261123-7KQ2XM',
  'true',
  'null',
  '__proto__',
  'constructor',
  'x'.repeat(300),
  'é'.repeat(2000),
];

/** Any string, lone surrogates and NULs included. */
const anyString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);

const cursorLike = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')),
  fc.tuple(anyString, anyString).map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url')),
  fc
    .tuple(fc.date({ noInvalidDate: true }), anyString)
    .map(([d, id]) => Buffer.from(JSON.stringify([d.toISOString(), id])).toString('base64url')),
);

/** A JSON value of any kind, some of them huge or deep. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: anyString },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(-0, 2 ** 53, 1e308, -1e308, 0.5),
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(anyString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 5000 }).map((depth) => nest(depth)) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 80_000 }).map((n) => 'y'.repeat(n)) },
);

/**
 * Objects and arrays nested `depth` deep. Stands for itself as a marker until sent (toJSON()):
 * fast-check prints a counterexample recursively, and JSON.stringify recurses too; either would
 * overflow the test's own stack on the value itself. toJsonText() writes it out.
 */
function nest(depth: number): unknown {
  return { toJSON: () => `@@nest:${depth}@@`, [fc.toStringMethod]: () => `<nested ${depth} deep>` };
}

function toJsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/"@@nest:(\d+)@@"/g, (_, depth: string) => {
    const d = Number(depth);
    const open = Array.from({ length: d }, (_, i) => (i % 2 ? '[' : '{"a":')).join('');
    const close = Array.from({ length: d }, (_, i) => (i % 2 ? ']' : '}'))
      .reverse()
      .join('');
    return `${open}"deep"${close}`;
  });
}

/** A value of the type the schema asks for, or any hostile value. */
function valueFor(schema: Schema | undefined, components: Record<string, Schema>): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, components);
  const typed: fc.Arbitrary<unknown>[] = [];
  if (resolved?.enum?.length) typed.push(fc.constantFrom(...resolved.enum));
  switch (resolved?.type) {
    case 'string':
      typed.push(anyString);
      break;
    case 'integer':
    case 'number':
      typed.push(fc.oneof(fc.integer({ min: -5, max: 300 }), fc.integer(), fc.double()));
      break;
    case 'boolean':
      typed.push(fc.boolean());
      break;
    case 'object':
      typed.push(objectFor(resolved, components));
      break;
    case 'array':
      typed.push(fc.array(valueFor(resolved.items, components), { maxLength: 3 }));
      break;
    default:
      break; // no type (or 'null'): only the hostile values below
  }
  return typed.length
    ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...typed) }, { weight: 1, arbitrary: anyJson })
    : anyJson;
}

function objectFor(schema: Schema, components: Record<string, Schema>): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return fc.dictionary(anyString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
  return fc.record(Object.fromEntries(properties.map(([name, property]) => [name, valueFor(property, components)])), {
    requiredKeys: [],
  });
}

/** OpenAPI 3.1: a nullable value is `type: [T, 'null']` or `anyOf: [S, {type: 'null'}]`; fuzz as T / S (null is in anyJson). */
function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema | undefined {
  if (schema?.anyOf)
    return resolve(
      schema.anyOf.find((s) => s.type !== 'null'),
      components,
    );
  if (schema?.$ref) return resolve(components[schema.$ref.split('/').pop()!], components);
  if (Array.isArray(schema?.type)) return { ...schema, type: schema.type.find((t) => t !== 'null') };
  return schema;
}

/**
 * A request body: mostly a known-good body with one field made hostile (so the request gets past
 * validation of the others and reaches deep), else one made from the schema, or no object at all.
 */
function bodyFor(
  operation: Operation,
  components: Record<string, Schema>,
  valid: Record<string, unknown> | undefined,
): fc.Arbitrary<FuzzRequest['body']> {
  const schema = resolve(operation.body ?? undefined, components);
  const fields = Object.keys(schema?.properties ?? valid ?? {});
  const options: Array<fc.WeightedArbitrary<FuzzRequest['body']>> = [
    { weight: 2, arbitrary: anyJson.map((value) => ({ kind: 'json' as const, value })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.constantFrom(
            '{',
            '{"a":',
            '[1,2',
            '{"a":1}{"b":2}',
            '\ufeff',
            'null',
            '"x"',
            '{"__proto__":{"polluted":true}}',
            '{"constructor":{"prototype":{"x":1}}}',
          ),
          fc.integer({ min: 33, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
        )
        .map((text) => ({ kind: 'raw' as const, text, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'application/x-www-form-urlencoded',
            'text/plain',
            'application/xml',
            'multipart/form-data; boundary=x',
            '',
          ),
          fc.string({ unit: 'binary', maxLength: 100 }),
        )
        .map(([contentType, text]) => ({ kind: 'raw' as const, text, contentType })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  ];
  if (schema)
    options.push({
      weight: 3,
      arbitrary: objectFor(schema, components).map((value) => ({ kind: 'json' as const, value })),
    });
  if (valid) {
    options.push({ weight: 4, arbitrary: fc.constant({ kind: 'json' as const, value: valid }) });
    if (fields.length) {
      options.push({
        weight: 8,
        arbitrary: fc
          .tuple(fc.constantFrom(...fields), anyJson, fc.option(fc.tuple(anyString, anyJson), { freq: 4 }))
          .map(([field, value, extra]) => ({
            kind: 'json' as const,
            value: { ...valid, [field]: value, ...(extra ? { [extra[0]]: extra[1] } : {}) },
          })),
      });
    }
    // One level down (e.g. contact.name), where the object has nested objects.
    const nested = Object.entries(valid).filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v));
    if (nested.length) {
      options.push({
        weight: 3,
        arbitrary: fc.tuple(fc.constantFrom(...nested), anyJson, fc.nat()).map(([[field, inner], value, pick]) => {
          const keys = Object.keys(inner as object);
          return {
            kind: 'json' as const,
            value: { ...valid, [field]: { ...(inner as object), [keys[pick % keys.length]]: value } },
          };
        }),
      });
    }
  }
  return fc.oneof(...options);
}

const headerText = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

const headersArb: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'x-correlation-id': fc.oneof(
      fc.constant(`fuzz-${unique()}`),
      headerText,
      fc.integer({ min: 100, max: 16_000 }).map((n) => 'c'.repeat(n)),
    ),
    'x-request-id': fc.oneof(fc.constant('req-1'), headerText),
    'idempotency-key': fc.oneof(
      fc.uuid().map((u) => `fuzz-${u}`),
      headerText,
      fc.integer({ min: 190, max: 3000 }).map((n) => 'k'.repeat(n)),
    ),
    'if-match': fc.oneof(
      fc.constantFrom('"0"', '"-1"', '"3"', 'W/"1"', '*', '"99999999999999999999"', '""'),
      headerText,
    ),
    'last-event-id': fc.oneof(fc.constantFrom('0', '1', '99999999999999999999', '-1', '1e400'), headerText),
    accept: fc.constantFrom('*/*', 'text/event-stream', 'application/xml', 'application/json;q=0'),
    'content-type': fc.constantFrom(
      'application/json; charset=latin1',
      'application/json;charset=utf-16',
      'APPLICATION/JSON',
    ),
    'x-forwarded-for': headerText,
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity;q=0', '*'),
    range: fc.constantFrom('bytes=0-1', 'bytes=-1'),
  },
  { requiredKeys: [] },
);

function requestFor(operation: Operation, components: Record<string, Schema>, seeds: Seeds): fc.Arbitrary<FuzzRequest> {
  const pathValue = (name: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...(seeds.params[name] ?? ['x'])) },
      { weight: 2, arbitrary: anyString },
      {
        weight: 1,
        arbitrary: fc.constantFrom('%2e%2e', '..', '%', '%E0%A4%A', 'a/b', 'a?b', 'a#b', ' ', 'x'.repeat(10_000)),
      },
    );
  const queryValue = (schema: Schema | undefined, name: string) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...(seeds.query[name] ?? ['1'])) },
      {
        weight: 3,
        arbitrary: valueFor(schema, components).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
      },
      { weight: 1, arbitrary: cursorLike },
    );
  const declared = operation.queryParams.map(({ name, schema }) =>
    fc.option(
      queryValue(schema, name).map((v) => [name, v] as [string, string]),
      { freq: 2 },
    ),
  );
  const query = fc
    .tuple(
      fc.tuple(...declared),
      fc.array(fc.tuple(anyString, anyString), { maxLength: 2 }),
      fc.option(fc.constantFrom(...operation.queryParams.map((q) => q.name).concat('x')), { freq: 5 }),
    )
    .map(([known, extra, repeated]) => {
      const pairs = [...known.filter((p): p is [string, string] => p !== null), ...extra];
      if (repeated) pairs.push([repeated, 'again']);
      return pairs;
    });
  const params = fc.record(
    Object.fromEntries(operation.pathParams.map((name) => [name, pathValue(name)])),
  ) as fc.Arbitrary<Record<string, string>>;
  // A GET has no body (fetch cannot send one, and Fastify would not read it).
  const body =
    operation.method === 'get'
      ? fc.constant({ kind: 'none' as const })
      : bodyFor(operation, components, seeds.bodies[`${operation.method} ${operation.path}`]);
  const hostile = fc.record({
    key: fc.constantFrom<FuzzRequest['key']>(
      ...(Object.keys(TEST_KEYS) as TestKey[]),
      'support',
      'support',
      'admin',
      'unknown',
      'malformed',
      null,
    ),
    params,
    query,
    body,
    encoding: fc.constantFrom<FuzzRequest['encoding']>(
      'none',
      'none',
      'none',
      'none',
      'none',
      'gzip',
      'deflate',
      'br',
      'gzip-claimed',
      'bogus',
    ),
    headers: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 2, arbitrary: headersArb }),
  });
  // Near-valid: a key that may act, the seeds' path parameters, the known-good body (or one field
  // off): these get past validation, so the handlers and the store see the hostile values too.
  const valid = seeds.bodies[`${operation.method} ${operation.path}`];
  const nearValid = fc.record({
    key: fc.constantFrom<FuzzRequest['key']>('support', 'manager', 'admin', 'partner'),
    params: fc.record(
      Object.fromEntries(operation.pathParams.map((name) => [name, fc.constantFrom(...(seeds.params[name] ?? ['x']))])),
    ),
    query: fc.constant<Array<[string, string]>>([]),
    body:
      operation.method === 'get'
        ? fc.constant({ kind: 'none' as const })
        : valid
          ? fc.oneof(fc.constant({ kind: 'json' as const, value: valid }), body)
          : body,
    encoding: fc.constantFrom<FuzzRequest['encoding']>('none', 'none', 'gzip'),
    headers: fc.oneof(
      fc.constant({}),
      fc.uuid().map((u) => ({ 'idempotency-key': `fuzz-${u}` })),
      fc.constantFrom({ 'if-match': '"0"' }, { 'if-match': '"-1"' }),
    ),
  });
  return fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 1, arbitrary: nearValid });
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes as invalid UTF-8 bytes. */
function encode(value: string): string {
  return value.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%ED%A0%80';
    }
  });
}

// ---- running ----------------------------------------------------------------------------------

interface Seeds {
  params: Record<string, string[]>;
  query: Record<string, string[]>;
  bodies: Record<string, Record<string, unknown>>;
}

interface Outcome {
  status: number;
  contentType: string;
  body: unknown;
}

async function send(service: TestService, operation: Operation, request: FuzzRequest): Promise<Outcome> {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encode(request.params[name] ?? 'x'));
  const query = request.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  const headers: Record<string, string> = {};
  if (request.key === 'unknown') headers.authorization = 'Bearer not-a-key-0000000000';
  else if (request.key === 'malformed') headers.authorization = 'Basic \u00e9\u00e9';
  else if (request.key) headers.authorization = `Bearer ${TEST_KEYS[request.key]}`;
  let payload: Buffer | undefined;
  if (request.body.kind === 'json') {
    payload = Buffer.from(toJsonText(request.body.value));
    headers['content-type'] = 'application/json';
  } else if (request.body.kind === 'raw') {
    payload = Buffer.from(request.body.text);
    if (request.body.contentType) headers['content-type'] = request.body.contentType;
  }
  if (payload && request.encoding !== 'none') {
    const compress = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }[request.encoding as 'gzip'];
    headers['content-encoding'] =
      request.encoding === 'gzip-claimed' ? 'gzip' : request.encoding === 'bogus' ? 'x-zip' : request.encoding;
    if (compress) payload = compress(payload);
  }
  Object.assign(headers, request.headers);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(`${service.url}${path}${query ? `?${query}` : ''}`, {
      method: operation.method.toUpperCase(),
      headers,
      body: payload,
      signal: controller.signal,
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.startsWith('text/event-stream')) {
      // A stream that stays open: its status and type are the answer.
      controller.abort();
      return { status: response.status, contentType, body: null };
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, contentType, body };
  } finally {
    clearTimeout(timer);
  }
}

function describeRequest(operation: Operation, request: FuzzRequest): string {
  return JSON.stringify({ route: `${operation.method.toUpperCase()} ${operation.path}`, ...request }).slice(0, 3000);
}
