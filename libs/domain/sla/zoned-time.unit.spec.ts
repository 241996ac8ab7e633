import { IANAZone } from 'luxon';
import { UnknownTimeZoneError } from './sla-errors';
import {
  DAY_MS,
  dayOfIsoDate,
  ianaZone,
  instantAt,
  isoDateOfDay,
  localPosition,
  offsetAt,
  weekDayOf,
} from './zoned-time';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const day = (date: string) => dayOfIsoDate(date)!;

describe('zoned-time', () => {
  const paris = ianaZone('Europe/Paris');

  it('converts a wall-clock time that exists once', () => {
    expect(iso(instantAt(paris, day('2026-11-13'), 16.5 * HOUR))).toBe('2026-11-13T15:30:00.000Z');
    expect(iso(instantAt(paris, day('2026-07-14'), 9 * HOUR))).toBe('2026-07-14T07:00:00.000Z');
  });

  it('maps a time skipped by spring-forward to the instant of the change', () => {
    // Paris, 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00Z; 02:30 never shows.
    expect(iso(instantAt(paris, day('2026-03-29'), 2.5 * HOUR))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantAt(paris, day('2026-03-29'), 3 * HOUR))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantAt(paris, day('2026-03-29'), 1.99 * HOUR))).toBe('2026-03-29T00:59:24.000Z');
  });

  it('maps a time repeated by fall-back to its first occurrence', () => {
    // Paris, 2026-10-25: 03:00 CEST falls back to 02:00 CET at 01:00Z; 02:30 happens twice.
    expect(iso(instantAt(paris, day('2026-10-25'), 2.5 * HOUR))).toBe('2026-10-25T00:30:00.000Z');
    const ny = ianaZone('America/New_York');
    expect(iso(instantAt(ny, day('2026-11-01'), 1.5 * HOUR))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('treats 24:00 as the next midnight, so a day spans 23 h or 25 h across DST', () => {
    const spring = day('2026-03-29');
    expect(instantAt(paris, spring, DAY_MS) - instantAt(paris, spring, 0)).toBe(23 * HOUR);
    const fall = day('2026-10-25');
    expect(instantAt(paris, fall, DAY_MS) - instantAt(paris, fall, 0)).toBe(25 * HOUR);
  });

  it('handles the +05:30 offset of Asia/Kolkata', () => {
    const kolkata = ianaZone('Asia/Kolkata');
    expect(iso(instantAt(kolkata, day('2026-11-16'), 9 * HOUR))).toBe('2026-11-16T03:30:00.000Z');
    expect(localPosition(kolkata, Date.parse('2026-11-16T18:29:00Z'))).toEqual({
      day: day('2026-11-16'),
      timeOfDay: 23 * HOUR + 59 * 60_000,
    });
    expect(localPosition(kolkata, Date.parse('2026-11-16T18:30:00Z'))).toEqual({
      day: day('2026-11-17'),
      timeOfDay: 0,
    });
  });

  it('names week days and ISO dates', () => {
    expect(weekDayOf(day('2026-11-13'))).toBe('fri');
    expect(weekDayOf(day('2026-11-16'))).toBe('mon');
    expect(weekDayOf(day('1969-12-28'))).toBe('sun');
    expect(isoDateOfDay(day('2026-11-11'))).toBe('2026-11-11');
    expect(dayOfIsoDate('2026-02-30')).toBeUndefined();
    expect(dayOfIsoDate('2026-2-3')).toBeUndefined();
  });

  it('refuses unknown zones and fixed offsets', () => {
    expect(() => ianaZone('Mars/Olympus')).toThrow(UnknownTimeZoneError);
    expect(() => ianaZone('+05:30')).toThrow(/unknown IANA time zone "\+05:30"/);
    expect(ianaZone('Australia/Sydney')).toBeInstanceOf(IANAZone);
  });

  it('memoises offsets without ever answering differently from the zone itself', () => {
    // Zones with half-hour DST (Lord Howe), 45-minute offsets, an odd-second change (Monrovia, 1972)
    // and ordinary DST; every instant asked twice (the second answer comes from the memo), and
    // every millisecond-level instant around each change.
    const zones = [
      'Europe/Paris',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Africa/Monrovia',
      'America/Santiago',
      'UTC',
    ];
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (const name of zones) {
      const zone = ianaZone(name);
      const instants: number[] = [];
      for (let i = 0; i < 400; i++) instants.push(Math.floor(Date.UTC(1965, 0, 1) + random() * 75 * 365 * DAY_MS));
      // Around each change in 1972 and 2026: hour-by-hour offsets that differ mark a change.
      for (const year of [1972, 2026]) {
        for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += HOUR) {
          if (zone.offset(t) !== zone.offset(t + HOUR)) {
            for (let ms = t - 1; ms <= t + HOUR + 1; ms += 997) instants.push(ms);
            instants.push(t + HOUR - 1, t + HOUR);
          }
        }
      }
      for (const pass of [1, 2]) {
        for (const t of instants) {
          const expected = zone.offset(t) * 60_000;
          if (offsetAt(zone, t) !== expected)
            throw new Error(`${name} at ${iso(t)} (pass ${pass}): ${offsetAt(zone, t)} != ${expected}`);
        }
      }
    }
    // Monrovia moved from -0:44:30 to UTC at 00:44:30Z on 1972-01-07, inside an hour.
    const monrovia = ianaZone('Africa/Monrovia');
    expect(offsetAt(monrovia, Date.parse('1972-01-07T00:44:29.999Z'))).toBe(-(44 * 60 + 30) * 1000);
    expect(offsetAt(monrovia, Date.parse('1972-01-07T00:44:30Z'))).toBe(0);
  });
});
