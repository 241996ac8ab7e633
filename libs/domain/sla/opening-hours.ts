import { WEEK_DAYS, WeekDay } from './zoned-time';

/** Opening hours per week day, as local wall-clock intervals "HH:MM-HH:MM"; a missing day is closed. */
export type WeeklyHours = Readonly<Partial<Record<WeekDay, readonly string[]>>>;

/** An interval of one day, in ms since local midnight; `end` may be 24:00 (a full day). */
export interface DayInterval {
  readonly start: number;
  readonly end: number;
}

const INTERVAL = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const MINUTE_MS = 60_000;

/** Parses "HH:MM-HH:MM"; returns the reason as a string when it is malformed. */
export function parseInterval(text: unknown): DayInterval | string {
  const match = typeof text === 'string' ? INTERVAL.exec(text) : null;
  if (!match) return `must be a "HH:MM-HH:MM" interval, got ${JSON.stringify(text)}`;
  const [sh, sm, eh, em] = match.slice(1).map(Number);
  if (sh > 23 || sm > 59) return `${JSON.stringify(text)} has an invalid start time`;
  // 24:00 is only meaningful as an end: it lets a day be open until midnight.
  if (eh > 24 || em > 59 || (eh === 24 && em !== 0)) return `${JSON.stringify(text)} has an invalid end time`;
  const start = (sh * 60 + sm) * MINUTE_MS;
  const end = (eh * 60 + em) * MINUTE_MS;
  if (end <= start) return `${JSON.stringify(text)} must end after it starts`;
  return { start, end };
}

export interface HoursProblem {
  /** Path below the week, e.g. "mon[1]". */
  readonly field: string;
  readonly message: string;
}

/** Parses a week of hours, collecting every problem (unknown day, malformed, unordered, overlapping). */
export function parseWeeklyHours(week: unknown): { hours: Map<WeekDay, DayInterval[]>; problems: HoursProblem[] } {
  const hours = new Map<WeekDay, DayInterval[]>();
  const problems: HoursProblem[] = [];
  if (typeof week !== 'object' || week === null || Array.isArray(week)) {
    return { hours, problems: [{ field: '', message: 'must be an object keyed by mon..sun' }] };
  }
  for (const [key, value] of Object.entries(week)) {
    if (!(WEEK_DAYS as readonly string[]).includes(key)) {
      problems.push({ field: key, message: `unknown week day (expected one of ${WEEK_DAYS.join(', ')})` });
      continue;
    }
    if (!Array.isArray(value)) {
      problems.push({ field: key, message: 'must be a list of "HH:MM-HH:MM" intervals' });
      continue;
    }
    const intervals: DayInterval[] = [];
    value.forEach((text, i) => {
      const parsed = parseInterval(text);
      if (typeof parsed === 'string') return problems.push({ field: `${key}[${i}]`, message: parsed });
      const previous = intervals[intervals.length - 1];
      if (previous && parsed.start < previous.end) {
        return problems.push({
          field: `${key}[${i}]`,
          message: `${JSON.stringify(text)} overlaps or precedes the interval before it (intervals must be ordered and not overlap)`,
        });
      }
      intervals.push(parsed);
    });
    hours.set(key as WeekDay, intervals);
  }
  return { hours, problems };
}
