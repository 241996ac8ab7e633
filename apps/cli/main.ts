import { once } from 'node:events';
import {
  caseStream,
  eventsInRange,
  ExportedEvent,
  streamEvents,
  streamExists,
  TimeRange,
} from '../../libs/audit/event-export';
import { describeOutcome, verifyEventStore } from '../../libs/audit/integrity';
import { previewClocks } from '../../libs/domain/sla/clock-calculator';
import { isKnownCountry, isKnownRegion } from '../../libs/domain/sla/public-holidays';
import { timeZoneFitsCountry } from '../../libs/domain/sla/zone-countries';
import { SlaPolicyError } from '../../libs/domain/sla/sla-errors';
import { isKnownTimeZone } from '../../libs/domain/sla/zoned-time';
import {
  ProjectionRebuilder,
  RebuildInProgressError,
  RebuildProgress,
  UnknownProjectionError,
} from '../../libs/projections/rebuild/projection-rebuilder';
import { ALL_PROJECTIONS } from '../../libs/projections/read-models/all-projections';
import { AppConfig, ConfigError, loadConfig } from '../../libs/platform/config/app-config';
import { DependencyError } from '../../libs/platform/health/dependency-error';
import { SlaPolicyService } from '../../libs/sla/sla-policy.service';
import { parseArgs, parseInstantArg, UsageError } from './args';
import { keygenOutput } from './keygen';
import { ReportsCli, reportCommand, whatIfCommand } from './reports-commands';
import { CliDependencies, openCliDependencies } from './cli-dependencies';

/** Each command's synopsis and what it does: `<command> --help` prints its entry, `--help` all of them. */
const COMMANDS: Record<string, { synopsis: string[]; help: string }> = {
  verify: {
    synopsis: ['verify'],
    help: "check every stream's hash chain; exit 1 naming the first broken event",
  },
  export: {
    synopsis: ['export --case <id>', 'export --from <ISO> --to <ISO>'],
    help: "the case's events (stream case-<id>), or every event whose metadata.occurredAt is in [from, to), as NDJSON on stdout",
  },
  rebuild: {
    synopsis: ['rebuild [projection] [--batch-size N]'],
    help: `rebuild one read model (${ALL_PROJECTIONS.map((p) => p.name).join(', ')}) or all of them from the first event beside the live tables, then switch over (--batch-size: events a page, default 2000)`,
  },
  preview: {
    synopsis: ['preview --severity A|B|C --from <ISO> --time-zone <IANA> [--country XX [--region NSW]]'],
    help: 'the SLA clocks a case opened at <from> would get under the policy in force',
  },
  'what-if': {
    synopsis: ['what-if --policy <file> [--from <ISO>] [--to <ISO>] [--partner P] [--format table|json|csv]'],
    help: 'replay the recorded history of the cases submitted in [from, to) under a proposed SLA policy, beside the policy each case ran under: clocks, breaches, the clocks whose outcome changes (csv: those), totals per severity; progress on stderr; writes nothing',
  },
  report: {
    synopsis: [
      'report [--from <ISO>] [--to <ISO>] [--group-by severity|partner|engineer|product|month] [--partner P] [--format table|json|csv]',
    ],
    help: 'the SLA compliance report (as GET /v1/reports/sla) of the cases submitted in [from, to), from the sla-outcomes read model',
  },
  keygen: {
    synopsis: [
      'keygen [--name N --role R [--partner P [--customer C]]]',
      'keys new [--name N --role R [--partner P [--customer C]]]',
    ],
    help: 'a new API key and its hash, with an API_KEYS_FILE entry holding only the hash; the key is shown only this once; needs no store',
  },
};

const FOOTER = `Same environment variables as the service (EVENT_STORE, DATA_DIR, DATABASE_URL,
EVENTSTORE_CONNECTION_STRING, SLA_POLICY_FILE, ...). No command needs Redis.
Exit status: 0 done, 1 failed (broken chain, unknown case, unreachable store, ...),
2 bad usage or not supported by this store.
`;

const USAGE = `usage: npm run cli -- <command> [options]   (or: node dist/apps/cli/main.js <command> ...)

commands:
${Object.values(COMMANDS)
  .map((c) => `${c.synopsis.map((s) => `  ${s}`).join('\n')}\n      ${c.help}`)
  .join('\n')}
  <command> --help
      that command's usage
  --help, -h
      this text

${FOOTER}`;

const commandUsage = (name: string) => {
  const c = COMMANDS[name];
  return `usage: ${c.synopsis.map((s) => `npm run cli -- ${s}`).join('\n       ')}\n\n${c.help}\n\n${FOOTER}`;
};

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

/** Errors an operator fixes outside the code: one line, no stack trace, exit 1. */
const OPERATOR_ERRORS = [ConfigError, DependencyError, SlaPolicyError, RebuildInProgressError];

const err = (line: string) => process.stderr.write(line + '\n');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // `--help` anywhere after a command: that command's usage on stdout, exit 0 (nothing runs).
    const name = command === 'keys' ? 'keygen' : command;
    if (name !== undefined && Object.hasOwn(COMMANDS, name) && rest.some(isHelp)) {
      process.stdout.write(commandUsage(name));
      return 0;
    }
    switch (command) {
      case 'verify':
        return await verify(rest);
      case 'export':
        return await exportEvents(rest);
      case 'rebuild':
        return await rebuild(rest);
      case 'preview':
        return await preview(rest);
      case 'what-if':
        return await whatIfCommand(rest, reportsCli());
      case 'report':
        return await reportCommand(rest, reportsCli());
      case 'keygen':
        return keygen(rest);
      case 'keys':
        if (rest[0] !== 'new') throw new UsageError(`keys takes one subcommand, new (got "${rest[0] ?? ''}")`);
        return keygen(rest.slice(1));
      case 'help':
      case '--help':
      case '-h':
        // Asked for: stdout, exit 0 (`help <command>`: that command's usage).
        if (rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0])) process.stdout.write(commandUsage(rest[0]));
        else if (rest[0] !== undefined) throw new UsageError(`no command "${rest[0]}"`);
        else process.stdout.write(USAGE);
        return 0;
      case undefined:
        // Not asked for: a usage error.
        process.stderr.write(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownProjectionError) {
      err(`casetrail${command && !command.startsWith('-') ? ` ${command}` : ''}: ${error.message}`);
      process.stderr.write('\n' + USAGE);
      return 2;
    }
    const known = OPERATOR_ERRORS.some((type) => error instanceof type);
    err(`casetrail ${command}: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}`);
    return 1;
  }
}

function config(): AppConfig {
  return loadConfig(process.env, []);
}

async function withDependencies<T>(
  options: { readModels: boolean },
  work: (deps: CliDependencies) => Promise<T>,
): Promise<T> {
  const deps = await openCliDependencies(config(), options);
  try {
    return await work(deps);
  } finally {
    await deps.close();
  }
}

/** A progress line on stderr at most about once a second. */
function throttled(): (line: () => string) => void {
  let last = Date.now();
  return (line) => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    err(line());
  };
}

async function verify(argv: string[]): Promise<number> {
  const args = parseArgs(argv, []);
  if (args.positional.length) throw new UsageError(`verify takes no argument (got "${args.positional[0]}")`);
  if (config().eventStore === 'eventstoredb' && !(await eventStoreDbVerifies())) {
    // Known without connecting: the adapter keeps no hash chain.
    err(`casetrail verify: ${describeOutcome({ status: 'unsupported', store: 'eventstoredb' })}`);
    return 2;
  }
  return withDependencies({ readModels: false }, async ({ eventStore }) => {
    const started = Date.now();
    const progress = throttled();
    const outcome = await verifyEventStore(eventStore, (checked) =>
      progress(
        () =>
          `verify: ${checked} events checked (${Math.round((checked * 1000) / Math.max(1, Date.now() - started))} events/s)`,
      ),
    );
    const line = describeOutcome(outcome);
    if (outcome.status === 'unsupported') {
      err(`casetrail verify: ${line}`);
      return 2;
    }
    process.stdout.write(line + '\n');
    return outcome.status === 'broken' ? 1 : 0;
  });
}

async function eventStoreDbVerifies(): Promise<boolean> {
  const { EventStoreDbEventStore } = await import('../../libs/event-store/eventstoredb/eventstoredb-event-store');
  return typeof (EventStoreDbEventStore.prototype as { verifyIntegrity?: unknown }).verifyIntegrity === 'function';
}

async function exportEvents(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['case', 'from', 'to']);
  if (args.positional.length) throw new UsageError(`export takes options only (got "${args.positional[0]}")`);
  const caseId = args.options.get('case');
  const hasRange = args.options.has('from') || args.options.has('to');
  if (caseId === undefined && !hasRange) throw new UsageError('export needs --case <id>, or --from <ISO> --to <ISO>');
  if (caseId !== undefined && !/^[A-Za-z0-9._:-]{1,200}$/.test(caseId))
    throw new UsageError(`--case must be a case id (got "${caseId}")`);
  let range: TimeRange | undefined;
  if (hasRange) {
    range = {
      from: parseInstantArg('from', args.options.get('from')),
      to: parseInstantArg('to', args.options.get('to')),
    };
    if (range.from >= range.to) throw new UsageError('--from must be before --to');
  }
  return withDependencies({ readModels: false }, async ({ eventStore }) => {
    let lines: AsyncGenerator<ExportedEvent>;
    if (caseId !== undefined) {
      const streamId = caseStream(caseId);
      if (!(await streamExists(eventStore, streamId))) {
        err(`casetrail export: no case ${caseId} (stream ${streamId} has no events)`);
        return 1;
      }
      lines = streamEvents(eventStore, streamId, { range });
    } else {
      lines = eventsInRange(eventStore, range as TimeRange);
    }
    for await (const event of lines) {
      if (!process.stdout.write(JSON.stringify(event) + '\n')) await once(process.stdout, 'drain');
    }
    return 0;
  });
}

async function rebuild(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['batch-size']);
  if (args.positional.length > 1) throw new UsageError('rebuild takes at most one projection name');
  const name = args.positional[0];
  const known = ALL_PROJECTIONS.map((p) => p.name);
  if (name !== undefined && !known.includes(name)) throw new UnknownProjectionError(name, known);
  const batchText = args.options.get('batch-size') ?? '2000';
  if (!/^\d+$/.test(batchText) || Number(batchText) < 1 || Number(batchText) > 50_000) {
    throw new UsageError('--batch-size must be a whole number of events between 1 and 50000');
  }
  return withDependencies({ readModels: true }, async ({ eventStore, readModels }) => {
    const rebuilder = new ProjectionRebuilder(eventStore, readModels!, ALL_PROJECTIONS, {
      batchSize: Number(batchText),
      progressIntervalMs: 1000,
      onProgress: (p) => err(progressLine(p)),
    });
    const results = await rebuilder.rebuild(name);
    for (const r of results) {
      process.stdout.write(
        `rebuilt ${r.projection}: ${r.events} events, checkpoint ${r.previousCheckpoint ?? 'none'} -> ${r.checkpoint ?? 'none'}` +
          ` (position ${r.position ?? 'none'}; ${r.eventsAtSwitch} applied during the ${r.switchMs} ms switch-over; ${(r.durationMs / 1000).toFixed(1)} s)\n`,
      );
    }
    return 0;
  });
}

function progressLine(p: RebuildProgress): string {
  switch (p.phase) {
    case 'started':
      return `rebuild ${p.projection}: started, new tables beside the live ones`;
    case 'catching-up':
      return `rebuild ${p.projection}: ${p.applied} events applied (${p.eventsPerSecond} events/s, position ${p.position})`;
    case 'switching':
      return `rebuild ${p.projection}: ${p.applied} events applied (${p.eventsPerSecond} events/s); switching over`;
    case 'switched':
      return `rebuild ${p.projection}: switched over at position ${p.position ?? 'none'} after ${p.applied} events (${(p.elapsedMs / 1000).toFixed(1)} s)`;
  }
}

async function preview(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['severity', 'from', 'time-zone', 'country', 'region']);
  if (args.positional.length) throw new UsageError(`preview takes options only (got "${args.positional[0]}")`);
  const problems: string[] = [];
  const severity = args.options.get('severity');
  if (severity !== 'A' && severity !== 'B' && severity !== 'C') problems.push('--severity must be one of A, B, C');
  let from = 0;
  try {
    from = parseInstantArg('from', args.options.get('from'));
  } catch (error) {
    problems.push((error as Error).message);
  }
  const timeZone = args.options.get('time-zone');
  if (timeZone === undefined || !isKnownTimeZone(timeZone))
    problems.push('--time-zone must be an IANA time zone such as Europe/Paris');
  const country = args.options.get('country');
  if (country !== undefined && !(/^[A-Za-z]{2}$/.test(country) && isKnownCountry(country))) {
    problems.push('--country must be an ISO 3166-1 alpha-2 code whose public holidays are known, such as FR');
  }
  const region = args.options.get('region');
  if (region !== undefined && (country === undefined || (isKnownCountry(country) && !isKnownRegion(country, region)))) {
    problems.push(
      `--region must be a region of --country whose public holidays are known, such as NSW for AU, CA for US, BY for DE`,
    );
  }
  if (
    timeZone !== undefined &&
    country !== undefined &&
    isKnownTimeZone(timeZone) &&
    !timeZoneFitsCountry(timeZone, country, region)
  ) {
    problems.push(`--time-zone ${timeZone} is not a time zone of ${country.toUpperCase()}`);
  }
  if (problems.length) throw new UsageError(problems.join('; '));
  const policy = SlaPolicyService.load(config().slaPolicyFile);
  const result = previewClocks(policy.calculator, severity as 'A' | 'B' | 'C', new Date(from).toISOString(), {
    timeZone: timeZone as string,
    country: country?.toUpperCase(),
    region: region?.toUpperCase(),
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return 0;
}

function reportsCli(): ReportsCli {
  const progress = throttled();
  return {
    withDependencies,
    progress,
    done: err,
    out: async (text) => {
      if (!process.stdout.write(text)) await once(process.stdout, 'drain');
    },
  };
}

/** Needs no store and no environment: prints what keygenOutput makes. */
function keygen(argv: string[]): number {
  const args = parseArgs(argv, ['name', 'role', 'partner', 'customer']);
  if (args.positional.length) throw new UsageError(`keygen takes options only (got "${args.positional[0]}")`);
  const { stdout, note } = keygenOutput({
    name: args.options.get('name'),
    role: args.options.get('role'),
    partner: args.options.get('partner'),
    customer: args.options.get('customer'),
  });
  process.stdout.write(stdout);
  err(note);
  return 0;
}

/** Waits until what was written to a stream has been handed to the OS (pipes are asynchronous). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

void main(process.argv.slice(2)).then(async (code) => {
  await flushed(process.stdout);
  await flushed(process.stderr);
  process.exit(code);
});
