import { ValidationError } from '../shared/domain-errors';
import { BusinessCalendar, createBusinessCalendar } from './business-calendar';
import { formatInstant, parseInstant } from './instant';
import { durationMs } from './iso-duration';
import { SLA_POLICY_DEFAULTS, SlaPolicy } from './policy';
import { policyFingerprint } from './policy-fingerprint';
import type { CalendarLocation, ClockCalculator, ClockDue, ClockKind, Severity } from './sla-clock';
import { ianaZone } from './zoned-time';

/** A clock's target, resolved once from the policy: an amount of clock time or of business days. */
type Target = { readonly ms: number } | { readonly businessDays: number };

/**
 * The ClockCalculator of a policy. A 24x7 severity counts real time in UTC; a business severity
 * counts the business calendar of the case contact's zone, country and region. warnAt and
 * escalateAt are measured in the clock's own time too, so a business clock never warns or
 * escalates at night. `policyHash`: the hash the policy was recorded under (default: computed).
 */
export function createClockCalculator(
  policy: SlaPolicy,
  policyHash: string = policyFingerprint(policy),
): ClockCalculator {
  const warnFraction = policy.warnAt;
  const escalateMs = fixedMs(policy.escalateAfterOverdue, 'escalateAfterOverdue');
  const targets = new Map<string, Target>();
  for (const severity of ['A', 'B', 'C'] as const) {
    const { initialResponse, update } = policy.severities[severity];
    targets.set(`initialResponse:${severity}`, {
      ms: fixedMs(initialResponse, `severities.${severity}.initialResponse`),
    });
    targets.set(
      `nextUpdate:${severity}`,
      typeof update === 'string' ? { ms: fixedMs(update, `severities.${severity}.update`) } : update,
    );
  }

  const realTime = createBusinessCalendar({ timeZone: 'UTC', hours: '24x7' });
  // Calendars memoise converted days; one per (zone, country, region) keeps that work across cases.
  const calendars = new Map<string, BusinessCalendar>();
  const businessCalendar = (location: CalendarLocation): BusinessCalendar => {
    const country = policy.businessCalendar.publicHolidays ? location.country : undefined;
    const region = country !== undefined ? location.region : undefined;
    const key = `${location.timeZone}|${country ?? ''}|${region ?? ''}`;
    let calendar = calendars.get(key);
    if (!calendar) {
      const { week, closedDates } = policy.businessCalendar;
      calendar = createBusinessCalendar({ timeZone: location.timeZone, hours: week, closedDates, country, region });
      calendars.set(key, calendar);
    }
    return calendar;
  };

  const calendarOf = (severity: Severity, location: CalendarLocation): BusinessCalendar => {
    const severityPolicy = policy.severities[severity];
    if (!severityPolicy)
      throw new ValidationError(`unknown severity ${JSON.stringify(severity)} (expected A, B or C)`, 'severity');
    return severityPolicy.calendar === '24x7' ? realTime : businessCalendar(location);
  };
  const caseRules = {
    untriagedSeverity: policy.untriagedSeverity ?? SLA_POLICY_DEFAULTS.untriagedSeverity,
    triageWithinMs: fixedMs(policy.triageWithin ?? SLA_POLICY_DEFAULTS.triageWithin, 'triageWithin'),
    autoResumeAfterMs: fixedMs(policy.autoResumeAfter ?? SLA_POLICY_DEFAULTS.autoResumeAfter, 'autoResumeAfter'),
  };

  const dueFrom = (calendar: BusinessCalendar, target: Target, start: string): string =>
    'ms' in target ? calendar.addBusinessTime(start, target.ms) : calendar.addBusinessDays(start, target.businessDays);

  return {
    policyVersion: policy.version,
    policyHash,
    publicHolidays: policy.businessCalendar.publicHolidays,
    dueAt(kind, severity, startedAt, location): string {
      // Exactly clockFor's dueAt without its warning and escalation instants (a replay needs only this).
      const target = targets.get(`${kind}:${severity}`);
      if (!target)
        throw new ValidationError(`unknown clock kind or severity ${JSON.stringify(`${kind}:${severity}`)}`, 'kind');
      ianaZone(location.timeZone);
      return dueFrom(calendarOf(severity, location), target, formatInstant(parseInstant(startedAt, 'startedAt')));
    },
    caseRules,
    clockTimeBetween(severity, from, to, location): number {
      return calendarOf(severity, location).businessTimeBetween(from, to);
    },
    addClockTime(severity, instant, ms, location): string {
      const start = formatInstant(parseInstant(instant, 'instant'));
      return ms === 0 ? start : calendarOf(severity, location).addBusinessTime(start, ms);
    },
    clockFor(kind: ClockKind, severity: Severity, startedAt: string, location: CalendarLocation): ClockDue {
      const severityPolicy = policy.severities[severity];
      if (!severityPolicy)
        throw new ValidationError(`unknown severity ${JSON.stringify(severity)} (expected A, B or C)`, 'severity');
      const target = targets.get(`${kind}:${severity}`);
      if (!target) throw new ValidationError(`unknown clock kind ${JSON.stringify(kind)}`, 'kind');
      // Checked even for 24x7 clocks: a bad zone on a case is an error whatever its severity.
      ianaZone(location.timeZone);
      const start = formatInstant(parseInstant(startedAt, 'startedAt'));
      const calendar = severityPolicy.calendar === '24x7' ? realTime : businessCalendar(location);

      const dueAt = dueFrom(calendar, target, start);
      const span = calendar.businessTimeBetween(start, dueAt);
      return {
        policyVersion: policy.version,
        policyHash,
        calendar: severityPolicy.calendar,
        startedAt: start,
        warnAt: calendar.addBusinessTime(start, Math.round(span * warnFraction)),
        dueAt,
        escalateAt: calendar.addBusinessTime(dueAt, escalateMs),
      };
    },
  };
}

export interface ClockPreview {
  readonly dueAt: string;
  readonly warnAt: string;
}

/** What GET /v1/sla/preview answers: the clocks a case opened at `from` would get. */
export interface SlaPreview {
  readonly policyVersion: string;
  readonly policyHash: string;
  readonly initialResponse: ClockPreview;
  /** The update clock as if it started at `from` too. */
  readonly update: ClockPreview;
}

export function previewClocks(
  calculator: ClockCalculator,
  severity: Severity,
  from: string,
  location: CalendarLocation,
): SlaPreview {
  const initial = calculator.clockFor('initialResponse', severity, from, location);
  const update = calculator.clockFor('nextUpdate', severity, from, location);
  return {
    policyVersion: calculator.policyVersion,
    policyHash: calculator.policyHash,
    initialResponse: { dueAt: initial.dueAt, warnAt: initial.warnAt },
    update: { dueAt: update.dueAt, warnAt: update.warnAt },
  };
}

/** Policies reach here validated; a hand-built invalid one still fails loudly, not with NaN instants. */
function fixedMs(duration: string, field: string): number {
  const ms = durationMs(duration);
  if (typeof ms === 'string') throw new ValidationError(`SLA policy ${field}: ${ms}`, field);
  return ms;
}
