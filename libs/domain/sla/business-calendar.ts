import { IANAZone } from 'luxon';
import { ValidationError } from '../shared/domain-errors';
import { formatInstant, parseInstant } from './instant';
import { DayInterval, WeeklyHours, parseWeeklyHours } from './opening-hours';
import { isKnownCountry, isKnownRegion, isPublicHoliday } from './public-holidays';
import { UnknownCountryError, UnknownRegionError } from './sla-errors';
import { WeekDay, dayOfIsoDate, ianaZone, instantAt, localPosition, weekDayOf } from './zoned-time';

/**
 * Where and when business time runs. `hours: '24x7'` is always open (real elapsed time, no
 * holidays); otherwise weekly wall-clock hours, minus the public holidays of `country` (none
 * when absent) and of its `region` (a state, province or Land: NSW, CA, BY) when given, and the
 * explicit `closedDates` (YYYY-MM-DD, local dates).
 */
export type BusinessCalendarOptions =
  | { readonly timeZone: string; readonly hours: '24x7' }
  | {
      readonly timeZone: string;
      readonly hours: WeeklyHours;
      readonly country?: string;
      /** Only with `country`: one of its regions as date-holidays names them. */
      readonly region?: string;
      readonly closedDates?: readonly string[];
    };

/** All instants are ISO-8601 strings in, `toISOString()` UTC strings out; durations are ms. */
export interface BusinessCalendar {
  readonly timeZone: string;
  /** Whether the calendar is open at the instant (intervals are [open, close): closed at 17:00 sharp). */
  isOpen(instant: string): boolean;
  /** The first open instant at or after `instant` (the instant itself when open). */
  nextOpening(instant: string): string;
  /**
   * The earliest instant by which `ms` of open time has elapsed since `start`: adding 2 h at
   * 16:30 on a 09:00-17:00 day gives 10:30 on the next business day; an exact fit gives the
   * closing instant (17:00), not the next opening. Adding 0 gives `start` unchanged.
   */
  addBusinessTime(start: string, ms: number): string;
  /**
   * "N business days later". A business day is a local date with at least one open interval
   * left after holidays and closed dates. The rule:
   *  1. a start outside business hours is first rolled forward to the next opening instant;
   *  2. take that instant's local date D and local wall-clock time W;
   *  3. step to the n-th business day after D (dates with no open interval are skipped);
   *  4. the result is the first instant at which the local clock reads W on that date (for a W
   *     repeated by a fall-back change, its first occurrence; for a W skipped by a spring-forward
   *     change, the instant of the change), then rolled forward to the next open instant if the
   *     calendar is closed then (W outside that day's hours, or skipped by DST).
   * n = 0 gives the rolled start of step 1.
   */
  addBusinessDays(start: string, n: number): string;
  /** Milliseconds of open time in [from, to); negative when `to` is before `from`. */
  businessTimeBetween(from: string, to: string): number;
}

type Span = readonly [open: number, close: number];

/** A calendar with no open day for this long is misconfigured; stop rather than loop forever. */
const MAX_CLOSED_DAYS = 3660;
const MAX_CACHED_DAYS = 4096;

export function createBusinessCalendar(options: BusinessCalendarOptions): BusinessCalendar {
  const zone = ianaZone(options.timeZone);
  if (options.hours === '24x7') return new ZonedCalendar(options.timeZone, zone, undefined, new Set(), undefined);
  const { hours, problems } = parseWeeklyHours(options.hours);
  if (problems.length > 0) {
    throw new ValidationError(
      `invalid business hours: ${problems.map((p) => `hours.${p.field}: ${p.message}`).join('; ')}`,
      'hours',
    );
  }
  if (![...hours.values()].some((intervals) => intervals.length > 0)) {
    throw new ValidationError('a business calendar needs at least one open interval in its week', 'hours');
  }
  const closed = new Set<number>();
  (options.closedDates ?? []).forEach((text, i) => {
    const day = dayOfIsoDate(text);
    if (day === undefined)
      throw new ValidationError(
        `closedDates[${i}] must be a YYYY-MM-DD date, got ${JSON.stringify(text)}`,
        `closedDates[${i}]`,
      );
    closed.add(day);
  });
  if (options.country !== undefined && !isKnownCountry(options.country)) throw new UnknownCountryError(options.country);
  const region = options.country === undefined ? undefined : options.region;
  if (region !== undefined && !isKnownRegion(options.country!, region))
    throw new UnknownRegionError(options.country!, region);
  return new ZonedCalendar(options.timeZone, zone, hours, closed, options.country, region);
}

class ZonedCalendar implements BusinessCalendar {
  private readonly spansByDay = new Map<number, readonly Span[]>();

  /** `week` undefined means 24x7. */
  constructor(
    readonly timeZone: string,
    private readonly zone: IANAZone,
    private readonly week: ReadonlyMap<WeekDay, readonly DayInterval[]> | undefined,
    private readonly closed: ReadonlySet<number>,
    private readonly country: string | undefined,
    private readonly region?: string,
  ) {}

  isOpen(instant: string): boolean {
    const t = parseInstant(instant);
    if (!this.week) return true;
    const today = localPosition(this.zone, t).day;
    return [today - 1, today].some((day) => this.openSpans(day).some(([open, close]) => open <= t && t < close));
  }

  nextOpening(instant: string): string {
    return formatInstant(this.nextOpeningMs(parseInstant(instant)));
  }

  addBusinessTime(start: string, ms: number): string {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`business time to add must be a non-negative number of ms, got ${ms}`);
    const t = parseInstant(start, 'start');
    if (!this.week || ms === 0) return formatInstant(t + ms);
    let remaining = ms;
    for (const [open, close] of this.spansFrom(t)) {
      if (remaining <= close - open) return formatInstant(open + remaining);
      remaining -= close - open;
    }
    throw new Error('unreachable: spansFrom never ends');
  }

  addBusinessDays(start: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`business days must be a non-negative integer, got ${n}`);
    const opened = this.nextOpeningMs(parseInstant(start, 'start'));
    const { day, timeOfDay } = localPosition(this.zone, opened);
    let target = day;
    for (let counted = 0, closedRun = 0; counted < n;) {
      target++;
      if (this.openSpans(target).length > 0) {
        counted++;
        closedRun = 0;
      } else if (++closedRun > MAX_CLOSED_DAYS) {
        throw new Error(`business calendar in ${this.timeZone} has no open day for ${MAX_CLOSED_DAYS} days`);
      }
    }
    return formatInstant(this.nextOpeningMs(instantAt(this.zone, target, timeOfDay)));
  }

  businessTimeBetween(from: string, to: string): number {
    const a = parseInstant(from, 'from');
    const b = parseInstant(to, 'to');
    return b < a ? -this.openTimeBetween(b, a) : this.openTimeBetween(a, b);
  }

  private openTimeBetween(a: number, b: number): number {
    if (!this.week) return b - a;
    let total = 0;
    const last = localPosition(this.zone, b).day;
    for (let day = localPosition(this.zone, a).day - 1; day <= last; day++) {
      for (const [open, close] of this.openSpans(day)) total += Math.max(0, Math.min(close, b) - Math.max(open, a));
    }
    return total;
  }

  private nextOpeningMs(t: number): number {
    if (!this.week) return t;
    for (const [open] of this.spansFrom(t)) return open;
    throw new Error('unreachable: spansFrom never ends');
  }

  /** The open spans still ahead at `t`, in order, the first one clipped to start at `t`. */
  private *spansFrom(t: number): Generator<Span> {
    // From the day before: in a zone whose midnight moves with DST a span may straddle dates.
    let day = localPosition(this.zone, t).day - 1;
    for (let closedRun = 0; closedRun <= MAX_CLOSED_DAYS; day++) {
      const ahead = this.openSpans(day).filter(([, close]) => close > t);
      closedRun = ahead.length > 0 ? 0 : closedRun + 1;
      for (const [open, close] of ahead) yield [Math.max(open, t), close];
    }
    throw new Error(`business calendar in ${this.timeZone} has no open time for ${MAX_CLOSED_DAYS} days`);
  }

  /** A local date's open intervals as instants: wall-clock hours converted on that very date. */
  private openSpans(day: number): readonly Span[] {
    let spans = this.spansByDay.get(day);
    if (spans) return spans;
    if (!this.week) {
      spans = [[instantAt(this.zone, day, 0), instantAt(this.zone, day + 1, 0)]];
    } else if (
      this.closed.has(day) ||
      (this.country !== undefined && isPublicHoliday(this.country, day, this.region))
    ) {
      spans = [];
    } else {
      spans = (this.week.get(weekDayOf(day)) ?? [])
        .map(({ start, end }): Span => [instantAt(this.zone, day, start), instantAt(this.zone, day, end)])
        // An interval wholly inside a spring-forward gap never opens.
        .filter(([open, close]) => close > open);
    }
    if (this.spansByDay.size >= MAX_CACHED_DAYS) this.spansByDay.clear();
    this.spansByDay.set(day, spans);
    return spans;
  }
}
