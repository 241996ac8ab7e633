import { readFileSync } from 'node:fs';
import { SlaPolicyError } from '../../libs/domain/sla/sla-errors';
import { REPORT_GROUPS, ReportGroup, slaReport } from '../../libs/reports/compliance/sla-report.query';
import { slaReportCsv, slaReportTable } from '../../libs/reports/compliance/sla-report.csv';
import { runWhatIf } from '../../libs/reports/what-if/what-if.service';
import { whatIfCsv, whatIfTable } from '../../libs/reports/what-if/what-if.format';
import { slaOutcomesProjection } from '../../libs/reports/sla-outcomes/sla-outcomes.projection';
import { ParsedArgs, parseArgs, parseInstantArg, UsageError } from './args';
import { CliDependencies } from './cli-dependencies';

type Format = 'table' | 'json' | 'csv';

export interface ReportsCli {
  withDependencies<T>(options: { readModels: boolean }, work: (deps: CliDependencies) => Promise<T>): Promise<T>;
  /** A progress line on stderr, at most about once a second. */
  progress(line: () => string): void;
  /** A last line on stderr. */
  done(line: string): void;
  out(text: string): Promise<void>;
}

function common(args: ParsedArgs): { from?: string; to?: string; partnerId?: string; format: Format } {
  if (args.positional.length) throw new UsageError(`takes options only (got "${args.positional[0]}")`);
  const iso = (name: string) =>
    args.options.has(name) ? new Date(parseInstantArg(name, args.options.get(name))).toISOString() : undefined;
  const from = iso('from');
  const to = iso('to');
  if (from !== undefined && to !== undefined && from >= to) throw new UsageError('--from must be before --to');
  const partnerId = args.options.get('partner');
  if (partnerId !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/.test(partnerId))
    throw new UsageError(`--partner must be a partner id (got "${partnerId}")`);
  const format = (args.options.get('format') ?? 'table') as Format;
  if (!['table', 'json', 'csv'].includes(format))
    throw new UsageError(`--format must be table, json or csv (got "${format}")`);
  return { from, to, partnerId, format };
}

/**
 * `what-if --policy proposed.json`: reads the proposed policy (refused with every problem named,
 * as at start), streams the store through the replay, prints the comparison. Writes nothing.
 */
export async function whatIfCommand(argv: string[], cli: ReportsCli): Promise<number> {
  const args = parseArgs(argv, ['policy', 'from', 'to', 'partner', 'format']);
  const file = args.options.get('policy');
  if (file === undefined) throw new UsageError('what-if needs --policy <file> (a policy document, as SLA_POLICY_FILE)');
  const { format, ...filter } = common(args);
  let policy: unknown;
  try {
    policy = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SlaPolicyError(file, [
      {
        field: '(file)',
        message: code ? `cannot be read (${code})` : `is not valid JSON (${(error as Error).message})`,
      },
    ]);
  }
  return cli.withDependencies({ readModels: false }, async ({ eventStore }) => {
    const started = Date.now();
    let read = { events: 0, cases: 0 };
    const rate = () => Math.round((read.events * 1000) / Math.max(1, Date.now() - started));
    const result = await runWhatIf(
      eventStore,
      { policy, source: file, asOf: new Date().toISOString(), ...filter, changesLimit: Number.MAX_SAFE_INTEGER },
      (p) => {
        read = p;
        cli.progress(() => `what-if: ${p.events} events read, ${p.cases} cases (${rate()} events/s)`);
      },
    );
    cli.done(
      `what-if: done, ${read.events} events read, ${result.cases} cases replayed in ${((Date.now() - started) / 1000).toFixed(1)} s (${rate()} events/s)`,
    );
    await cli.out(
      format === 'json'
        ? JSON.stringify(result, null, 2) + '\n'
        : format === 'csv'
          ? whatIfCsv(result)
          : whatIfTable(result),
    );
    return 0;
  });
}

/** `report`: the SLA compliance report from the sla-outcomes read model (as GET /v1/reports/sla). */
export async function reportCommand(argv: string[], cli: ReportsCli): Promise<number> {
  const args = parseArgs(argv, ['from', 'to', 'partner', 'format', 'group-by']);
  const { format, ...filter } = common(args);
  const groupBy = args.options.get('group-by');
  if (groupBy !== undefined && !(REPORT_GROUPS as readonly string[]).includes(groupBy)) {
    throw new UsageError(`--group-by must be one of ${REPORT_GROUPS.join(', ')} (got "${groupBy}")`);
  }
  return cli.withDependencies({ readModels: true }, async ({ readModels }) => {
    // The tables exist once the service has run; on a fresh store the report is simply empty.
    await readModels!.exec(slaOutcomesProjection.schema(''));
    const report = await slaReport(readModels!, {
      ...filter,
      groupBy: groupBy as ReportGroup | undefined,
      now: new Date().toISOString(),
    });
    await cli.out(
      format === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : format === 'csv'
          ? slaReportCsv(report)
          : slaReportTable(report),
    );
    return 0;
  });
}
