/**
 * The caller's If-Match named another revision than the stream's: nothing was decided or written.
 * Not an HTTP error: the problem-details filter answers it as 412 with `currentRevision`.
 */
export class StaleRevisionError extends Error {
  constructor(
    readonly expected: number,
    /** The stream's revision (-1: it does not exist), or null when the store did not say. */
    readonly actual: number | null,
    message = `If-Match names revision ${expected}, but the case is at revision ${actual ?? 'a newer one'}`,
  ) {
    super(message);
    this.name = 'StaleRevisionError';
  }
}
