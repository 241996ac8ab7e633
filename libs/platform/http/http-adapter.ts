import { parse as parseQueryString } from 'node:querystring';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { parseJsonBody } from './json-body';
import { ProblemError } from './problem';
import { sendProblem, toProblem } from './problem-details.filter';

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
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
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
    frameworkErrors: (error: FastifyError, _request: unknown, reply: FastifyReply) => sendProblem(reply, toProblem(error)),
  });
  registerBodyParsers(adapter.getInstance());
  return adapter;
}

/** The media types whose bodies are read (registerBodyParsers()). */
const READ_TYPES = /^\s*application\/(?:json|x-www-form-urlencoded)\s*(?:;|$)/i;
const INFLATE: Record<string, () => Transform> = { gzip: createGunzip, deflate: createInflate, br: createBrotliDecompress };

/**
 * The bodies Express read, read the same way (Nest's own parsers are off: NestFactory.create()
 * with `bodyParser: false`): JSON (parseJsonBody), forms, and any other type left unread, so the
 * route sees no body (rather than Fastify's 415, or text/plain as a string). A compressed JSON or
 * form body is inflated first, and the limits apply to the inflated body.
 */
function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = request.headers['content-encoding']?.toLowerCase() ?? 'identity';
    if (encoding === 'identity' || !READ_TYPES.test(request.headers['content-type'] ?? '')) return done(null, payload);
    const inflate = INFLATE[encoding];
    if (!inflate) return done(ProblemError.of(415, `unsupported content encoding "${encoding}"`));
    // Fastify checks Content-Length against the bytes received, which are the compressed ones.
    const inflated = Object.assign(inflate(), { receivedEncodedLength: 0 });
    payload.on('data', (chunk: Buffer) => (inflated.receivedEncodedLength += chunk.length));
    done(null, payload.pipe(inflated));
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: JSON_BODY_LIMIT }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) =>
    done(null, parseQueryString(body as string)),
  );
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
