import Holidays from 'date-holidays';
import { UnknownCountryError, UnknownRegionError } from './sla-errors';
import { DAY_MS, dayOfIsoDate } from './zoned-time';

/**
 * Public holidays of a country and, optionally, one of its regions (a state, province or Land as
 * date-holidays names it: NSW, CA, BY...), from date-holidays. A region's list is the national
 * holidays plus its own (New South Wales' Labour Day, Bavaria's Epiphany). Only type "public"
 * counts: bank holidays, observances and optional days do not close a support desk. Results are
 * memoised per (country, region, year) because computing a year of rules is far slower than a Set
 * lookup, and the rules for a past year never change within a running process.
 */
const instances = new Map<string, Holidays>();
const byYear = new Map<string, ReadonlySet<number>>();
const regionsByCountry = new Map<string, ReadonlySet<string>>();
let supported: ReadonlySet<string> | undefined;

/** Whether date-holidays knows this ISO 3166-1 alpha-2 code (case-insensitive). */
export function isKnownCountry(country: string): boolean {
  supported ??= new Set(Object.keys(new Holidays().getCountries()));
  return typeof country === 'string' && supported.has(country.toUpperCase());
}

/** The region codes date-holidays knows for a country (upper case; empty for an unknown country). */
export function regionsOf(country: string): ReadonlySet<string> {
  const code = country.toUpperCase();
  let regions = regionsByCountry.get(code);
  if (!regions) {
    regions = new Set(
      isKnownCountry(code) ? Object.keys(new Holidays().getStates(code) ?? {}).map((r) => r.toUpperCase()) : [],
    );
    regionsByCountry.set(code, regions);
  }
  return regions;
}

/** Whether `region` is one of `country`'s regions (case-insensitive). */
export function isKnownRegion(country: string, region: string): boolean {
  return typeof country === 'string' && typeof region === 'string' && regionsOf(country).has(region.toUpperCase());
}

/** Whether the local date `day` (days since 1970-01-01) is a public holiday in `country` (and `region`). */
export function isPublicHoliday(country: string, day: number, region?: string): boolean {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  // The previous year too: a multi-day holiday starting on 31 December is filed under its first day.
  return publicHolidayDays(country, year, region).has(day) || publicHolidayDays(country, year - 1, region).has(day);
}

/** The day numbers of the public holidays of a country (and region) that fall in `year`. */
export function publicHolidayDays(country: string, year: number, region?: string): ReadonlySet<number> {
  const code = country.toUpperCase();
  const state = region?.toUpperCase();
  const key = `${code}:${state ?? ''}:${year}`;
  let days = byYear.get(key);
  if (!days) {
    days = computeYear(code, state, year);
    byYear.set(key, days);
  }
  return days;
}

function computeYear(code: string, state: string | undefined, year: number): ReadonlySet<number> {
  if (!isKnownCountry(code)) throw new UnknownCountryError(code);
  if (state !== undefined && !isKnownRegion(code, state)) throw new UnknownRegionError(code, state);
  const instanceKey = `${code}:${state ?? ''}`;
  let holidays = instances.get(instanceKey);
  if (!holidays) {
    // date-holidays lists some regions' codes in lower or mixed case; find the spelling it uses.
    const spelled = state && Object.keys(new Holidays().getStates(code) ?? {}).find((r) => r.toUpperCase() === state);
    holidays = spelled ? new Holidays(code, spelled, { types: ['public'] }) : new Holidays(code, { types: ['public'] });
    instances.set(instanceKey, holidays);
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
