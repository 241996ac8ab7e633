import { durationMs } from './iso-duration';
import { WeeklyHours, parseWeeklyHours } from './opening-hours';
import type { Severity } from './sla-clock';
import { SlaPolicyError, SlaPolicyProblem } from './sla-errors';
import { dayOfIsoDate } from './zoned-time';

/** An ISO-8601 duration of fixed length, e.g. "PT2H" (see iso-duration.ts). */
export type IsoDuration = string;

/** "An update every N business days", counted in the business calendar (see addBusinessDays). */
export interface BusinessDaysCadence {
  readonly businessDays: number;
}

export interface SeverityPolicy {
  readonly calendar: '24x7' | 'business';
  readonly initialResponse: IsoDuration;
  readonly update: IsoDuration | BusinessDaysCadence;
}

export interface BusinessCalendarPolicy {
  readonly week: WeeklyHours;
  /** Close on the public holidays of the case contact's country. */
  readonly publicHolidays: boolean;
  /** Extra closed local dates, YYYY-MM-DD. Optional in the file; [] when absent. */
  readonly closedDates: readonly string[];
}

/** The SLA policy file (api.md, "SLA policy file"). Its `version` is recorded on every clock. */
export interface SlaPolicy {
  readonly version: string;
  /** Fraction of a clock's span at which it warns, strictly between 0 and 1. */
  readonly warnAt: number;
  /** How long an update may stay overdue (in the clock's own time) before escalation. */
  readonly escalateAfterOverdue: IsoDuration;
  readonly businessCalendar: BusinessCalendarPolicy;
  readonly severities: Readonly<Record<Severity, SeverityPolicy>>;
  /** The severity an open case's first clock runs under when the partner proposed none (optional in the file; B). */
  readonly untriagedSeverity: Severity;
  /** How long (real time) a case may stay untriaged before an at-risk alert (optional; PT30M). */
  readonly triageWithin: IsoDuration;
  /** How long (real time) a clock may stay paused waiting on the partner before it resumes by itself (optional; P5D). */
  readonly autoResumeAfter: IsoDuration;
}

/** Defaults of the optional policy fields added in the second wave (files written before lack them). */
export const SLA_POLICY_DEFAULTS = { untriagedSeverity: 'B', triageWithin: 'PT30M', autoResumeAfter: 'P5D' } as const;

const businessWeek = ['09:00-17:00'];

/** The built-in policy, used when SLA_POLICY_FILE is not set: exactly api.md's example. */
export const DEFAULT_SLA_POLICY: SlaPolicy = deepFreeze({
  version: 'default-2026-11',
  warnAt: 0.75,
  escalateAfterOverdue: 'PT1H',
  businessCalendar: {
    week: { mon: businessWeek, tue: businessWeek, wed: businessWeek, thu: businessWeek, fri: businessWeek },
    publicHolidays: true,
    closedDates: [],
  },
  severities: {
    A: { calendar: '24x7', initialResponse: 'PT1H', update: 'PT2H' },
    B: { calendar: 'business', initialResponse: 'PT2H', update: { businessDays: 1 } },
    C: { calendar: 'business', initialResponse: 'PT4H', update: { businessDays: 3 } },
  },
  ...SLA_POLICY_DEFAULTS,
});

const SEVERITIES: readonly Severity[] = ['A', 'B', 'C'];

/**
 * Validates a parsed policy file. Every problem is collected (not just the first) and thrown
 * together as one SlaPolicyError naming `source`, each field path and the reason. Unknown keys
 * are refused: a misspelt "escalateAfterOverdu" must not silently fall back to nothing.
 */
export function parseSlaPolicy(raw: unknown, source: string): SlaPolicy {
  const problems: SlaPolicyProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ field, message });

  const root = object(
    raw,
    '(root)',
    ['version', 'warnAt', 'escalateAfterOverdue', 'businessCalendar', 'severities'],
    ['untriagedSeverity', 'triageWithin', 'autoResumeAfter'],
    fail,
  );
  if (root) {
    // A missing field was reported once by object(); the checks below only judge present values.
    if (root.version !== undefined && (typeof root.version !== 'string' || root.version.trim() === '')) {
      fail('version', 'must be a non-empty string');
    }
    if (root.warnAt !== undefined && (typeof root.warnAt !== 'number' || !(root.warnAt > 0 && root.warnAt < 1))) {
      fail('warnAt', `must be a number strictly between 0 and 1, got ${JSON.stringify(root.warnAt)}`);
    }
    duration(root.escalateAfterOverdue, 'escalateAfterOverdue', fail);
    if (root.businessCalendar !== undefined) checkCalendar(root.businessCalendar, fail);
    if (root.severities !== undefined) checkSeverities(root.severities, fail);
    if (root.untriagedSeverity !== undefined && !SEVERITIES.includes(root.untriagedSeverity as Severity)) {
      fail('untriagedSeverity', `must be "A", "B" or "C", got ${JSON.stringify(root.untriagedSeverity)}`);
    }
    duration(root.triageWithin, 'triageWithin', fail);
    duration(root.autoResumeAfter, 'autoResumeAfter', fail);
  }
  if (problems.length > 0) throw new SlaPolicyError(source, problems);

  // A copy, so that freezing it leaves the caller's object alone.
  const valid = structuredClone(raw) as SlaPolicy;
  return deepFreeze({
    version: valid.version,
    warnAt: valid.warnAt,
    escalateAfterOverdue: valid.escalateAfterOverdue,
    businessCalendar: { ...valid.businessCalendar, closedDates: valid.businessCalendar.closedDates ?? [] },
    severities: valid.severities,
    untriagedSeverity: valid.untriagedSeverity ?? SLA_POLICY_DEFAULTS.untriagedSeverity,
    triageWithin: valid.triageWithin ?? SLA_POLICY_DEFAULTS.triageWithin,
    autoResumeAfter: valid.autoResumeAfter ?? SLA_POLICY_DEFAULTS.autoResumeAfter,
  });
}

type Fail = (field: string, message: string) => void;
type Json = Record<string, unknown>;

function checkCalendar(value: unknown, fail: Fail): void {
  const calendar = object(value, 'businessCalendar', ['week', 'publicHolidays'], ['closedDates'], fail);
  if (!calendar) return;
  if (calendar.week !== undefined) {
    const { hours, problems } = parseWeeklyHours(calendar.week);
    problems.forEach((p) => fail(p.field ? `businessCalendar.week.${p.field}` : 'businessCalendar.week', p.message));
    if (problems.length === 0 && ![...hours.values()].some((day) => day.length > 0)) {
      fail('businessCalendar.week', 'must have at least one open interval (business clocks would never run)');
    }
  }
  if (calendar.publicHolidays !== undefined && typeof calendar.publicHolidays !== 'boolean') {
    fail('businessCalendar.publicHolidays', 'must be true or false');
  }
  if (calendar.closedDates === undefined) return;
  if (!Array.isArray(calendar.closedDates))
    return fail('businessCalendar.closedDates', 'must be a list of YYYY-MM-DD dates');
  calendar.closedDates.forEach((date, i) => {
    if (dayOfIsoDate(date as string) === undefined)
      fail(`businessCalendar.closedDates[${i}]`, `must be a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  });
}

function checkSeverities(value: unknown, fail: Fail): void {
  const severities = object(value, 'severities', SEVERITIES, [], fail);
  if (!severities) return;
  for (const severity of SEVERITIES) {
    const path = `severities.${severity}`;
    const policy = object(severities[severity], path, ['calendar', 'initialResponse', 'update'], [], fail);
    if (!policy) continue;
    if (policy.calendar !== undefined && policy.calendar !== '24x7' && policy.calendar !== 'business') {
      fail(`${path}.calendar`, `must be "24x7" or "business", got ${JSON.stringify(policy.calendar)}`);
    }
    duration(policy.initialResponse, `${path}.initialResponse`, fail);
    checkUpdate(policy.update, `${path}.update`, fail);
  }
}

/** An update cadence is a duration ("PT2H") or a number of business days ({"businessDays": 1}). */
function checkUpdate(update: unknown, path: string, fail: Fail): void {
  if (update === undefined) return;
  if (typeof update === 'string') return duration(update, path, fail);
  if (typeof update !== 'object' || update === null || Array.isArray(update)) {
    return fail(
      path,
      `must be an ISO-8601 duration such as "PT2H" or {"businessDays": n}, got ${JSON.stringify(update)}`,
    );
  }
  const cadence = object(update, path, ['businessDays'], [], fail);
  const days = cadence?.businessDays;
  if (days !== undefined && !(Number.isInteger(days) && (days as number) > 0)) {
    fail(`${path}.businessDays`, `must be a positive integer, got ${JSON.stringify(days)}`);
  }
}

/** The value as an object when it is one with exactly the allowed keys; reports every deviation. */
function object(
  value: unknown,
  path: string,
  required: readonly string[],
  optional: readonly string[],
  fail: Fail,
): Json | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, value === undefined ? 'is required' : 'must be an object');
    return undefined;
  }
  const json = value as Json;
  const prefix = path === '(root)' ? '' : `${path}.`;
  for (const key of required) if (json[key] === undefined) fail(`${prefix}${key}`, 'is required');
  for (const key of Object.keys(json)) {
    if (!required.includes(key) && !optional.includes(key)) fail(`${prefix}${key}`, 'is not a known field');
  }
  return json;
}

function duration(value: unknown, path: string, fail: Fail): void {
  if (value === undefined) return; // already reported as required
  const ms = durationMs(value);
  if (typeof ms === 'string') fail(path, ms);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
