import { IANAZone } from 'luxon';
import { UnknownTimeZoneError } from './sla-errors';

/**
 * Wall-clock arithmetic in an IANA zone, on plain numbers: a local date is a "day number"
 * (days since 1970-01-01) and a wall-clock time is milliseconds since local midnight. Business
 * calendars are defined in wall-clock terms and converted to instants only at the edges, which
 * is what keeps daylight-saving changes from shifting or losing time.
 */
export const DAY_MS = 86_400_000;

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * Zones by name, null for names that are not IANA zones. Checking a name builds an
 * Intl.DateTimeFormat (costly, and it was on every clock computation): each name is checked once.
 */
const ZONES = new Map<string, IANAZone | null>();

function lookupZone(name: unknown): IANAZone | null {
  if (typeof name !== 'string') return null;
  let zone = ZONES.get(name);
  if (zone === undefined) {
    zone = ZONE_NAME.test(name) && IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
    if (ZONES.size < 10_000) ZONES.set(name, zone);
  }
  return zone;
}

/** The luxon zone for an IANA name; UnknownTimeZoneError otherwise (fixed offsets like "+05:30" are not IANA names). */
export function ianaZone(name: string): IANAZone {
  const zone = lookupZone(name);
  if (!zone) throw new UnknownTimeZoneError(String(name));
  return zone;
}

export function isKnownTimeZone(name: string): boolean {
  return lookupZone(name) !== null;
}

/**
 * The zone's UTC offset at an instant, in milliseconds.
 * luxon answers through Intl.DateTimeFormat#formatToParts, which was the largest single cost of a
 * command (every clock converts instants several times). Offsets are memoised per zone and hour:
 * an hour is cached only when its first and last millisecond have the same offset, so an hour
 * holding a change (twice a year, or a historical odd-second one) is always computed exactly.
 * That is exact as long as a zone never changes twice within one hour, which tzdb never does.
 */
export function offsetAt(zone: IANAZone, instant: number): number {
  if (zone.name === 'UTC') return 0;
  let hours = OFFSETS.get(zone.name);
  if (!hours) OFFSETS.set(zone.name, (hours = new Map<number, number>()));
  const hour = Math.floor(instant / HOUR_MS);
  const cached = hours.get(hour);
  if (cached !== undefined) return cached;
  const offset = zone.offset(instant) * 60_000;
  const first = hour * HOUR_MS;
  if (zone.offset(first) * 60_000 === offset && zone.offset(first + HOUR_MS - 1) * 60_000 === offset) {
    if (hours.size >= MAX_CACHED_HOURS) hours.clear();
    hours.set(hour, offset);
  }
  return offset;
}

const HOUR_MS = 3_600_000;
/** About a year of hours per zone; a long-running process touching more starts over. */
const MAX_CACHED_HOURS = 10_000;
const OFFSETS = new Map<string, Map<number, number>>();

export interface LocalPosition {
  /** The local date, as days since 1970-01-01. */
  readonly day: number;
  /** The local wall-clock time, in ms since local midnight. */
  readonly timeOfDay: number;
}

/** Where an instant falls on the local calendar and wall clock. */
export function localPosition(zone: IANAZone, instant: number): LocalPosition {
  const naive = instant + offsetAt(zone, instant);
  const day = Math.floor(naive / DAY_MS);
  return { day, timeOfDay: naive - day * DAY_MS };
}

/**
 * The instant at which the local wall clock first reads `timeOfDay` on `day` or later.
 * - A time that exists once gives that instant.
 * - A time repeated by a fall-back change gives its first occurrence.
 * - A time skipped by a spring-forward change gives the instant of the change (the clock jumps
 *   past it then), e.g. 02:30 on the Paris spring-forward night gives 03:00 CEST.
 * `timeOfDay` may be a full day (24:00), which is the next day's midnight.
 */
export function instantAt(zone: IANAZone, day: number, timeOfDay: number): number {
  const wall = day * DAY_MS + timeOfDay;
  const localOf = (t: number) => t + offsetAt(zone, t);
  // The offsets in force around `wall`: a day before and after covers any DST change near it.
  const offsets = new Set<number>();
  for (const probe of [wall - DAY_MS, wall + DAY_MS, wall]) {
    const offset = offsetAt(zone, probe);
    offsets.add(offset);
    offsets.add(offsetAt(zone, wall - offset));
  }
  const exact = [...offsets].map((o) => wall - o).filter((t) => localOf(t) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: binary-search the change instant, the first one whose wall clock is past `wall`.
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localOf(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Monday = 'mon' ... Sunday = 'sun', as the policy's week keys. */
export const WEEK_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

/** 1970-01-01 (day 0) was a Thursday. */
export function weekDayOf(day: number): WeekDay {
  return WEEK_DAYS[(((day + 3) % 7) + 7) % 7];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a YYYY-MM-DD date, or undefined when it is not a real calendar date. */
export function dayOfIsoDate(text: string): number | undefined {
  const match = typeof text === 'string' ? ISO_DATE.exec(text) : null;
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

export function isoDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
