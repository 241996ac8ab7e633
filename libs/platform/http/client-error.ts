import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { problem } from './problem';

/**
 * The answer to a request Node's HTTP parser refused before any route could see it (the server's
 * 'clientError'): problem+json, with the status Node itself would give (a head too large: 431, a
 * chunk extension too large: 413, a request not received in time: 408, anything else: 400), then
 * the connection is closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A connection reset leaves nothing to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
        ? 413
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? 408
          : 400;
  const detail =
    status === 431
      ? 'the request head (request line and headers) is larger than allowed'
      : status === 413
        ? 'a chunk extension of the request body is larger than allowed'
        : status === 408
          ? 'the request was not received in time'
          : 'the request is not valid HTTP';
  const body = JSON.stringify(problem(status, detail));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
