/** Bad command-line arguments: the message, then the usage, on stderr; exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string>;
}

/**
 * `--name value` and `--name=value` options (each at most once, each naming one of `known`) and
 * positional arguments, in any order.
 */
export function parseArgs(argv: readonly string[], known: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      i++;
    }
    if (options.has(name)) throw new UsageError(`--${name} is given twice`);
    options.set(name, value);
  }
  return { positional, options };
}

/** An ISO-8601 instant with a date, a time and an offset (`Z` or `+01:00`), as epoch milliseconds. */
export function parseInstantArg(name: string, value: string | undefined): number {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const ms = Date.parse(value);
  if (!ok || !Number.isFinite(ms)) {
    throw new UsageError(
      `--${name} must be an ISO-8601 instant with an offset, e.g. 2026-11-13T16:30:00+01:00 (got "${value}")`,
    );
  }
  return ms;
}
