import Holidays from 'date-holidays';
import { UnknownCountryError } from './sla-errors';
import { DAY_MS, dayOfIsoDate } from './zoned-time';

/**
 * Public holidays of a country, from date-holidays. Only type "public" counts: bank holidays,
 * observances and optional days do not close a support desk. Results are memoised per
 * (country, year) because computing a year of rules is far slower than a Set lookup, and the
 * rules for a past year never change within a running process.
 */
const instances = new Map<string, Holidays>();
const byYear = new Map<string, ReadonlySet<number>>();
let supported: ReadonlySet<string> | undefined;

/** Whether date-holidays knows this ISO 3166-1 alpha-2 code (case-insensitive). */
export function isKnownCountry(country: string): boolean {
  supported ??= new Set(Object.keys(new Holidays().getCountries()));
  return typeof country === 'string' && supported.has(country.toUpperCase());
}

/** Whether the local date `day` (days since 1970-01-01) is a public holiday in `country`. */
export function isPublicHoliday(country: string, day: number): boolean {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  // The previous year too: a multi-day holiday starting on 31 December is filed under its first day.
  return publicHolidayDays(country, year).has(day) || publicHolidayDays(country, year - 1).has(day);
}

/** The day numbers of a country's public holidays that fall in `year`. */
export function publicHolidayDays(country: string, year: number): ReadonlySet<number> {
  const code = country.toUpperCase();
  const key = `${code}:${year}`;
  let days = byYear.get(key);
  if (!days) {
    days = computeYear(code, year);
    byYear.set(key, days);
  }
  return days;
}

function computeYear(code: string, year: number): ReadonlySet<number> {
  if (!isKnownCountry(code)) throw new UnknownCountryError(code);
  let holidays = instances.get(code);
  if (!holidays) {
    holidays = new Holidays(code, { types: ['public'] });
    instances.set(code, holidays);
  }
  const days = new Set<number>();
  for (const holiday of holidays.getHolidays(year)) {
    if (holiday.type !== 'public') continue;
    const first = dayOfIsoDate(holiday.date.slice(0, 10));
    if (first === undefined) continue;
    // A rare multi-day holiday closes every date it spans (rounded: DST makes days 23 or 25 h).
    const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
    for (let i = 0; i < length; i++) days.add(first + i);
  }
  return days;
}
