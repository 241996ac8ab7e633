/** A dependency is missing or unreachable at start: the message is the one line the operator sees. */
export class DependencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DependencyError';
  }
}
