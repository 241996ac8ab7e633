import { createClockCalculator } from './clock-calculator';
import { DEFAULT_SLA_POLICY } from './policy';
import { isKnownRegion, publicHolidayDays } from './public-holidays';
import { UnknownRegionError } from './sla-errors';
import { timeZoneFitsCountry } from './zone-countries';
import { dayOfIsoDate } from './zoned-time';

// Default policy: B is 2 business hours on 09:00-17:00, closed on public holidays.
const calculator = createClockCalculator(DEFAULT_SLA_POLICY);
const dueB = (startedAt: string, location: { timeZone: string; country?: string; region?: string }) =>
  calculator.clockFor('initialResponse', 'B', startedAt, location).dueAt;

describe('public holidays of the contact region', () => {
  it("New South Wales' Labour Day (first Monday of October) closes a B clock in Sydney only with region NSW", () => {
    // Friday 2026-10-02 16:30 AEST (+10); DST starts on Sunday 4 October (AEDT +11).
    const friday = '2026-10-02T06:30:00Z';
    // National holidays only: Monday 5 October is open -> Monday 10:30 AEDT.
    expect(dueB(friday, { timeZone: 'Australia/Sydney', country: 'AU' })).toBe('2026-10-04T23:30:00.000Z');
    // NSW: Labour Day is closed -> Tuesday 6 October 10:30 AEDT.
    expect(dueB(friday, { timeZone: 'Australia/Sydney', country: 'AU', region: 'NSW' })).toBe(
      '2026-10-05T23:30:00.000Z',
    );
  });

  it("a US state's holiday: California's César Chávez Day (31 March)", () => {
    // Monday 2026-03-30 16:30 PDT (-7).
    const monday = '2026-03-30T23:30:00Z';
    expect(dueB(monday, { timeZone: 'America/Los_Angeles', country: 'US' })).toBe('2026-03-31T17:30:00.000Z'); // Tuesday 10:30
    expect(dueB(monday, { timeZone: 'America/Los_Angeles', country: 'US', region: 'CA' })).toBe(
      '2026-04-01T17:30:00.000Z',
    ); // Wednesday 10:30
  });

  it("a German Land's holiday: Bavaria's Epiphany (6 January)", () => {
    // Monday 2026-01-05 16:30 CET (+1).
    const monday = '2026-01-05T15:30:00Z';
    expect(dueB(monday, { timeZone: 'Europe/Berlin', country: 'DE' })).toBe('2026-01-06T09:30:00.000Z'); // Tuesday 10:30
    expect(dueB(monday, { timeZone: 'Europe/Berlin', country: 'DE', region: 'BY' })).toBe('2026-01-07T09:30:00.000Z'); // Wednesday 10:30
    // Berlin (BE) does not keep it.
    expect(dueB(monday, { timeZone: 'Europe/Berlin', country: 'DE', region: 'BE' })).toBe('2026-01-06T09:30:00.000Z');
  });

  it("a region's list holds the national holidays too", () => {
    const christmas = dayOfIsoDate('2026-12-25')!;
    expect(publicHolidayDays('AU', 2026, 'NSW').has(christmas)).toBe(true);
    expect(publicHolidayDays('AU', 2026).has(dayOfIsoDate('2026-10-05')!)).toBe(false);
  });

  it('region codes are matched case-insensitively', () => {
    expect(dueB('2026-10-02T06:30:00Z', { timeZone: 'Australia/Sydney', country: 'au', region: 'nsw' })).toBe(
      '2026-10-05T23:30:00.000Z',
    );
    expect(isKnownRegion('de', 'by')).toBe(true);
  });

  it('an unknown region is refused, not silently ignored', () => {
    expect(isKnownRegion('AU', 'XX')).toBe(false);
    expect(isKnownRegion('FR', 'NSW')).toBe(false);
    expect(() => dueB('2026-10-02T06:30:00Z', { timeZone: 'Australia/Sydney', country: 'AU', region: 'XX' })).toThrow(
      UnknownRegionError,
    );
  });

  it('with publicHolidays off, the region changes nothing', () => {
    const noHolidays = createClockCalculator({
      ...DEFAULT_SLA_POLICY,
      version: 'no-holidays',
      businessCalendar: { ...DEFAULT_SLA_POLICY.businessCalendar, publicHolidays: false },
    });
    expect(
      noHolidays.clockFor('initialResponse', 'B', '2026-10-02T06:30:00Z', {
        timeZone: 'Australia/Sydney',
        country: 'AU',
        region: 'NSW',
      }).dueAt,
    ).toBe('2026-10-04T23:30:00.000Z');
  });
});

describe('time zone against country', () => {
  it('accepts the zones of the country', () => {
    expect(timeZoneFitsCountry('Europe/Paris', 'FR')).toBe(true);
    expect(timeZoneFitsCountry('Australia/Perth', 'AU')).toBe(true);
    expect(timeZoneFitsCountry('America/Los_Angeles', 'us', 'CA')).toBe(true);
  });

  it('refuses an obviously foreign zone', () => {
    expect(timeZoneFitsCountry('Australia/Sydney', 'FR')).toBe(false);
    expect(timeZoneFitsCountry('Europe/Paris', 'US')).toBe(false);
  });

  it('accepts what it cannot place: UTC, Etc zones, old aliases', () => {
    expect(timeZoneFitsCountry('UTC', 'FR')).toBe(true);
    expect(timeZoneFitsCountry('Etc/GMT-10', 'AU')).toBe(true);
    expect(timeZoneFitsCountry('Asia/Calcutta', 'IN')).toBe(true);
  });

  it("an overseas region listed as a country brings its own zone (La Réunion is FR's RE)", () => {
    expect(timeZoneFitsCountry('Indian/Reunion', 'FR', 'RE')).toBe(true);
    expect(timeZoneFitsCountry('Indian/Reunion', 'FR')).toBe(false);
  });
});
