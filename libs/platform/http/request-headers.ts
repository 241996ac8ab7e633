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
