import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { PassThrough, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import helmet from 'helmet';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { answerClientError } from './client-error';
import { parseJsonBody } from './json-body';
import { ProblemError } from './problem';
import { sendProblem, toProblem } from './problem-details.filter';
import { assertBoundedHeaders } from './request-headers';
import { assertStorableInput } from './unstorable-strings';
import type { JsonLogger } from '../logging/json-logger';
import { httpRequestDuration } from '../metrics/command-metrics';

/** Largest accepted JSON body; a larger one is a 413. */
const JSON_BODY_LIMIT = 64 * 1024;
/** Largest accepted form body: what Express accepted (body-parser's default, 100 kB). */
const FORM_BODY_LIMIT = 100 * 1024;
/** Node's largest request head: no path parameter can be longer, so none is refused for its length. */
const MAX_PARAM_LENGTH = 16 * 1024;

/**
 * The HTTP platform: Fastify, for the API thread's CPU (a Nest route with the ValidationPipe costs
 * 0.24 ms per request on it, 0.62 ms on Express, on the benchmark VM). Set up to answer as the
 * service did on Express: the same routing, query strings, bodies, timeouts and problem+json
 * errors. Left behind on purpose: Express's automatic weak ETag on every answer and its 304 for a
 * matching If-None-Match (undocumented, and not the revision ETag of commands), X-Powered-By, and
 * the body of a GET (Fastify does not read it). Other differences are in answers to garbage: a
 * URL that cannot be decoded is a 400 wherever it is (Express: a 404 outside a path parameter),
 * an unknown Content-Encoding is a 415 and JSON in a charset other than UTF-8 is read as UTF-8
 * (Express: 500s), nested form keys (`a[b]=1`) stay flat, and a body that cannot be read (too
 * large, malformed) closes the connection after the answer.
 */
export function createHttpAdapter(logger?: JsonLogger): FastifyAdapter {
  const adapter = new FastifyAdapter({
    // X-Request-Id when the client sent a valid one, else a new UUID (requestId()).
    requestIdHeader: false,
    genReqId: requestId,
    routerOptions: {
      // Express routes `/v1/cases/` as `/v1/cases` and `/V1/Cases` as well; parameters keep
      // their case either way.
      ignoreTrailingSlash: true,
      caseSensitive: false,
      maxParamLength: MAX_PARAM_LENGTH,
      // Express 5's "simple" query parser: Node's querystring (repeated keys give an array,
      // no nesting, at most 1000 keys).
      querystringParser: (query) => parseQueryString(query),
    },
    // Node's defaults, which Express kept (Fastify's own are 72 s and none).
    keepAliveTimeout: 5_000,
    requestTimeout: 300_000,
    // Express kept serving requests on open connections while the service closed.
    return503OnClosing: false,
    // A URL that cannot be decoded is refused by Fastify's router before Nest sees the request.
    frameworkErrors: (error: FastifyError, _request: unknown, reply: FastifyReply) =>
      sendProblem(reply, toProblem(error)),
    // What Node's HTTP parser refuses before there is a request (a head over 16 KB: 431, a
    // malformed request line or header: 400) is answered with problem+json too.
    clientErrorHandler: answerClientError,
  });
  const fastify = adapter.getInstance();
  registerAccessLog(fastify, logger);
  registerSecurityHeaders(fastify);
  registerInputChecks(fastify);
  registerBodyParsers(fastify);
  return adapter;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's X-Request-Id if it is one the service accepts (request-headers.ts), else a new one. */
function requestId(raw: IncomingMessage): string {
  const header = raw.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header.trim()) ? header.trim() : randomUUID();
}

/**
 * Every answer carries `X-Request-Id` (the client's or a new one), and every request ends with one
 * access log line (method, route pattern, path without the query string, status, latency, API key
 * name, request and correlation ids) and one observation of the HTTP duration histogram. The
 * route label is the pattern (`/v1/cases/:id`), or "unmatched", so that its values stay few.
 */
function registerAccessLog(fastify: FastifyInstance, logger: JsonLogger | undefined): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    const status = reply.statusCode;
    const latencyMs = reply.elapsedTime;
    httpRequestDuration.observe({ method: request.method, route, status: String(status) }, latencyMs / 1000);
    if (logger) {
      const correlation = request.headers['x-correlation-id'];
      logger.event(
        'info',
        'request',
        {
          method: request.method,
          route,
          path: request.url.split('?')[0].slice(0, 512),
          status,
          latencyMs: Math.round(latencyMs * 100) / 100,
          keyName: (request as { principal?: { name?: string } }).principal?.name ?? null,
          requestId: request.id,
          correlationId:
            typeof correlation === 'string' && REQUEST_ID.test(correlation.trim()) ? correlation.trim() : request.id,
        },
        'Http',
      );
    }
    done();
  });
}

/**
 * Helmet's security headers on every answer. The API's Content-Security-Policy allows nothing
 * (it serves JSON, never a page); the Swagger UI under /docs gets what its page needs (its own
 * scripts and styles, inline styles, data: images), without upgrade-insecure-requests, so that it
 * also loads over plain HTTP from another host; the ops console under /console gets CONSOLE_CSP.
 * The headers do not depend on the request: helmet computes them once (securityHeaders()), and
 * each answer gets the same object (@fastify/helmet rebuilt helmet's middleware on every request:
 * ~3 % of the API thread's time per command, issue 18).
 */
function registerSecurityHeaders(fastify: FastifyInstance): void {
  const headers = securityHeaders();
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  fastify.addHook('onSend', async (request, reply) => {
    if (/^\/docs(?:[/?.-]|$)/i.test(request.url)) reply.header('content-security-policy', DOCS_CSP);
    else if (/^\/console(?:[/?]|$)/i.test(request.url)) reply.header('content-security-policy', CONSOLE_CSP);
  });
}

/** The headers helmet's middleware sets, with this service's CSP, captured from one run of it. */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) =>
      (headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  // Helmet refuses bad options when building the middleware (a throw here, at start-up); the
  // middleware itself only sets headers and calls next.
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  })({} as never, response as never, () => undefined);
  return headers;
}

const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
].join('; ');

/**
 * The ops console (/console): its own scripts and styles, data: images (the empty favicon), and
 * requests to this origin only (the API and the alert stream). Nothing inline, nothing elsewhere.
 */
const CONSOLE_CSP = [
  "default-src 'none'",
  "base-uri 'none'",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "manifest-src 'self'",
].join('; ');

/**
 * Input refused at the edge, before authentication and any route: the bounded headers
 * (assertBoundedHeaders()), and strings that could not be stored anywhere in the body, query
 * string or path parameters (assertStorableInput()).
 */
function registerInputChecks(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    try {
      assertBoundedHeaders(request.headers);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      assertStorableInput(request);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

/** The media types whose bodies are read (registerBodyParsers()). */
const READ_TYPES = /^\s*application\/(?:json|x-www-form-urlencoded)\s*(?:;|$)/i;
const INFLATE: Record<string, () => Transform> = {
  gzip: createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * The bodies Express read, read the same way (Nest's own parsers are off: NestFactory.create()
 * with `bodyParser: false`): JSON (parseJsonBody), forms, and any other type left unread, so the
 * route sees no body (rather than Fastify's 415, or text/plain as a string). A compressed JSON or
 * form body is inflated first, and the limits apply to the inflated body.
 */
function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    const encoding = request.headers['content-encoding']?.toLowerCase() ?? 'identity';
    if (encoding === 'identity' || !READ_TYPES.test(request.headers['content-type'] ?? '')) return done(null, payload);
    const inflate = INFLATE[encoding];
    if (!inflate) return done(ProblemError.of(415, `unsupported content encoding "${encoding}"`));
    // Fastify reads `body` (and checks Content-Length against receivedEncodedLength, the bytes
    // received, which are the compressed ones). A body that is not what its encoding says is a
    // 400. The inflating stream always has a listener for its errors: Fastify stops listening
    // once it has refused the body (over the limit: 413), and an error nobody listens to would
    // stop the process.
    const inflater = inflate();
    const body = Object.assign(new PassThrough(), { receivedEncodedLength: 0 });
    inflater.on('error', () => body.destroy(ProblemError.of(400, `the body is not valid ${encoding} data`)));
    body.on('error', () => undefined);
    payload.on('data', (chunk: Buffer) => (body.receivedEncodedLength += chunk.length));
    // Once answered (or the connection is gone), nothing more is inflated.
    reply.raw.once('close', () => {
      payload.unpipe(inflater);
      inflater.destroy();
    });
    payload.pipe(inflater).pipe(body);
    done(null, body);
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: JSON_BODY_LIMIT },
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => done(null, parseQueryString(body as string)),
  );
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
