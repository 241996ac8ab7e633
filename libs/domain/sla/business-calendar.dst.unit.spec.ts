import { createBusinessCalendar } from './business-calendar';

/**
 * Daylight-saving nights of 2026 (instants of the change):
 * - Europe/Paris: spring 03-29 01:00Z (02:00 CET -> 03:00 CEST), fall 10-25 01:00Z (03:00 CEST -> 02:00 CET)
 * - America/New_York: spring 03-08 07:00Z (02:00 EST -> 03:00 EDT), fall 11-01 06:00Z (02:00 EDT -> 01:00 EST)
 * - Australia/Sydney: fall 04-04 16:00Z (03:00 AEDT -> 02:00 AEST), spring 10-03 16:00Z (02:00 AEST -> 03:00 AEDT)
 */
const HOUR = 3_600_000;
const everyDay = (...intervals: string[]) => ({
  mon: intervals,
  tue: intervals,
  wed: intervals,
  thu: intervals,
  fri: intervals,
  sat: intervals,
  sun: intervals,
});

interface Night {
  zone: string;
  /** An instant 30 min before the change, and the local midnights around that night's date. */
  beforeChange: string;
  midnight: string;
  nextMidnight: string;
  /** 01:00 and 04:00 local on the change date. */
  oneAm: string;
  fourAm: string;
  /** Real length of the local day, and of its 01:00-04:00 interval. */
  realDayHours: number;
  nightIntervalHours: number;
}

const nights: Record<string, Night> = {
  'Paris spring-forward': {
    zone: 'Europe/Paris',
    beforeChange: '2026-03-29T00:30:00Z',
    midnight: '2026-03-28T23:00:00Z',
    nextMidnight: '2026-03-29T22:00:00Z',
    oneAm: '2026-03-29T00:00:00Z',
    fourAm: '2026-03-29T02:00:00Z',
    realDayHours: 23,
    nightIntervalHours: 2,
  },
  'Paris fall-back': {
    zone: 'Europe/Paris',
    beforeChange: '2026-10-25T00:30:00Z',
    midnight: '2026-10-24T22:00:00Z',
    nextMidnight: '2026-10-25T23:00:00Z',
    oneAm: '2026-10-24T23:00:00Z',
    fourAm: '2026-10-25T03:00:00Z',
    realDayHours: 25,
    nightIntervalHours: 4,
  },
  'New York spring-forward': {
    zone: 'America/New_York',
    beforeChange: '2026-03-08T06:30:00Z',
    midnight: '2026-03-08T05:00:00Z',
    nextMidnight: '2026-03-09T04:00:00Z',
    oneAm: '2026-03-08T06:00:00Z',
    fourAm: '2026-03-08T08:00:00Z',
    realDayHours: 23,
    nightIntervalHours: 2,
  },
  'New York fall-back': {
    zone: 'America/New_York',
    beforeChange: '2026-11-01T05:30:00Z',
    midnight: '2026-11-01T04:00:00Z',
    nextMidnight: '2026-11-02T05:00:00Z',
    oneAm: '2026-11-01T05:00:00Z',
    fourAm: '2026-11-01T09:00:00Z',
    realDayHours: 25,
    nightIntervalHours: 4,
  },
  'Sydney fall-back': {
    zone: 'Australia/Sydney',
    beforeChange: '2026-04-04T15:30:00Z',
    midnight: '2026-04-04T13:00:00Z',
    nextMidnight: '2026-04-05T14:00:00Z',
    oneAm: '2026-04-04T14:00:00Z',
    fourAm: '2026-04-04T18:00:00Z',
    realDayHours: 25,
    nightIntervalHours: 4,
  },
  'Sydney spring-forward': {
    zone: 'Australia/Sydney',
    beforeChange: '2026-10-03T15:30:00Z',
    midnight: '2026-10-03T14:00:00Z',
    nextMidnight: '2026-10-04T13:00:00Z',
    oneAm: '2026-10-03T15:00:00Z',
    fourAm: '2026-10-03T17:00:00Z',
    realDayHours: 23,
    nightIntervalHours: 2,
  },
};

const plusHours = (instant: string, hours: number) => new Date(Date.parse(instant) + hours * HOUR).toISOString();

describe.each(Object.entries(nights))('%s', (_name, night) => {
  it('24x7: 1 h is 1 h of real time across the change', () => {
    const always = createBusinessCalendar({ timeZone: night.zone, hours: '24x7' });
    expect(always.addBusinessTime(night.beforeChange, HOUR)).toBe(plusHours(night.beforeChange, 1));
    expect(always.businessTimeBetween(night.midnight, night.nextMidnight)).toBe(night.realDayHours * HOUR);
  });

  it('business 00:00-24:00: the day holds its real length (23 h or 25 h), no time shifted or lost', () => {
    const allDay = createBusinessCalendar({ timeZone: night.zone, hours: everyDay('00:00-24:00') });
    expect(allDay.businessTimeBetween(night.midnight, night.nextMidnight)).toBe(night.realDayHours * HOUR);
    expect(allDay.addBusinessTime(night.beforeChange, HOUR)).toBe(plusHours(night.beforeChange, 1));
    expect(allDay.addBusinessTime(night.midnight, night.realDayHours * HOUR)).toBe(
      new Date(night.nextMidnight).toISOString(),
    );
  });

  it('business 01:00-04:00: an interval spanning the change holds its real length (2 h or 4 h)', () => {
    const night3h = createBusinessCalendar({ timeZone: night.zone, hours: everyDay('01:00-04:00') });
    const realHours = night.nightIntervalHours;
    expect(night3h.nextOpening(night.midnight)).toBe(new Date(night.oneAm).toISOString());
    expect(night3h.businessTimeBetween(night.midnight, night.nextMidnight)).toBe(realHours * HOUR);
    expect(night3h.addBusinessTime(night.oneAm, realHours * HOUR)).toBe(new Date(night.fourAm).toISOString());
    expect(night3h.isOpen(night.beforeChange)).toBe(true);
    expect(night3h.isOpen(night.fourAm)).toBe(false);
  });

  it('business 09:00-17:00 on the change day is 8 h', () => {
    const daytime = createBusinessCalendar({ timeZone: night.zone, hours: everyDay('09:00-17:00') });
    expect(daytime.businessTimeBetween(night.midnight, night.nextMidnight)).toBe(8 * HOUR);
  });
});

describe('business clocks over a DST weekend', () => {
  const weekdays = {
    mon: ['09:00-17:00'],
    tue: ['09:00-17:00'],
    wed: ['09:00-17:00'],
    thu: ['09:00-17:00'],
    fri: ['09:00-17:00'],
  };

  it('keeps Friday 16:30 + 2 h at Monday 10:30 local, whichever way the clocks moved', () => {
    const paris = createBusinessCalendar({ timeZone: 'Europe/Paris', hours: weekdays, country: 'FR' });
    expect(paris.addBusinessTime('2026-03-27T15:30:00Z', 2 * HOUR)).toBe('2026-03-30T08:30:00.000Z'); // CET -> CEST
    expect(paris.addBusinessTime('2026-10-23T14:30:00Z', 2 * HOUR)).toBe('2026-10-26T09:30:00.000Z'); // CEST -> CET
    const ny = createBusinessCalendar({ timeZone: 'America/New_York', hours: weekdays, country: 'US' });
    expect(ny.addBusinessTime('2026-03-06T21:30:00Z', 2 * HOUR)).toBe('2026-03-09T14:30:00.000Z'); // EST -> EDT
    expect(ny.addBusinessTime('2026-10-30T20:30:00Z', 2 * HOUR)).toBe('2026-11-02T15:30:00.000Z'); // EDT -> EST
    const sydney = createBusinessCalendar({ timeZone: 'Australia/Sydney', hours: weekdays });
    expect(sydney.addBusinessTime('2026-10-02T06:30:00Z', 2 * HOUR)).toBe('2026-10-04T23:30:00.000Z'); // AEST -> AEDT
  });

  it('Sydney at Easter 2026: DST ends over the weekend and Good Friday and Easter Monday are closed', () => {
    const sydney = createBusinessCalendar({ timeZone: 'Australia/Sydney', hours: weekdays, country: 'AU' });
    // Thursday 2 April 16:30 AEDT + 2 h -> Tuesday 7 April 10:30 AEST.
    expect(sydney.addBusinessTime('2026-04-02T05:30:00Z', 2 * HOUR)).toBe('2026-04-07T00:30:00.000Z');
  });

  it('"1 business day later" keeps the local wall-clock time across the change', () => {
    const paris = createBusinessCalendar({ timeZone: 'Europe/Paris', hours: weekdays, country: 'FR' });
    // Friday 10:00 CEST (08:00Z) -> Monday 10:00 CET (09:00Z).
    expect(paris.addBusinessDays('2026-10-23T08:00:00Z', 1)).toBe('2026-10-26T09:00:00.000Z');
    // Friday 10:00 CET (09:00Z) -> Monday 10:00 CEST (08:00Z).
    expect(paris.addBusinessDays('2026-03-27T09:00:00Z', 1)).toBe('2026-03-30T08:00:00.000Z');
  });

  it('"1 day later" at a wall-clock time skipped by spring-forward takes the instant of the change', () => {
    const always = createBusinessCalendar({ timeZone: 'Europe/Paris', hours: '24x7' });
    // Saturday 02:30 CET -> Sunday 02:30 does not exist -> 03:00 CEST (01:00Z).
    expect(always.addBusinessDays('2026-03-28T01:30:00Z', 1)).toBe('2026-03-29T01:00:00.000Z');
    const ny = createBusinessCalendar({ timeZone: 'America/New_York', hours: '24x7' });
    expect(ny.addBusinessDays('2026-03-07T07:30:00Z', 1)).toBe('2026-03-08T07:00:00.000Z');
    const nights = createBusinessCalendar({ timeZone: 'Europe/Paris', hours: everyDay('01:00-04:00') });
    expect(nights.addBusinessDays('2026-03-28T01:30:00Z', 1)).toBe('2026-03-29T01:00:00.000Z');
  });

  it('"1 day later" at a wall-clock time repeated by fall-back takes its first occurrence', () => {
    const always = createBusinessCalendar({ timeZone: 'Europe/Paris', hours: '24x7' });
    // Saturday 02:30 CEST -> Sunday 02:30 CEST (the first of the two 02:30s).
    expect(always.addBusinessDays('2026-10-24T00:30:00Z', 1)).toBe('2026-10-25T00:30:00.000Z');
    const ny = createBusinessCalendar({ timeZone: 'America/New_York', hours: '24x7' });
    expect(ny.addBusinessDays('2026-10-31T05:30:00Z', 1)).toBe('2026-11-01T05:30:00.000Z');
    // From the second 02:30 (CET, 01:30Z) on the fall-back day, Monday 02:30 CET follows.
    expect(always.addBusinessDays('2026-10-25T01:30:00Z', 1)).toBe('2026-10-26T01:30:00.000Z');
  });
});
