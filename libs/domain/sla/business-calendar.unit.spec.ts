import { ValidationError } from '../shared/domain-errors';
import { createBusinessCalendar } from './business-calendar';
import { UnknownCountryError, UnknownTimeZoneError } from './sla-errors';

const HOUR = 3_600_000;
const MIN = 60_000;
const weekdays = (...intervals: string[]) => ({
  mon: intervals,
  tue: intervals,
  wed: intervals,
  thu: intervals,
  fri: intervals,
});

describe('business calendar', () => {
  // Paris is UTC+1 in November 2026.
  const paris = createBusinessCalendar({ timeZone: 'Europe/Paris', hours: weekdays('09:00-17:00'), country: 'FR' });

  describe('addBusinessTime', () => {
    it('carries the rest of Friday over the weekend: Fri 16:30 + 2 h is Mon 10:30', () => {
      expect(paris.addBusinessTime('2026-11-13T15:30:00Z', 2 * HOUR)).toBe('2026-11-16T09:30:00.000Z');
    });

    it('rolls a start outside business hours forward first', () => {
      // Saturday 11:00 and Monday 07:00 both count from Monday 09:00.
      expect(paris.addBusinessTime('2026-11-14T10:00:00Z', 2 * HOUR)).toBe('2026-11-16T10:00:00.000Z');
      expect(paris.addBusinessTime('2026-11-16T06:00:00Z', 2 * HOUR)).toBe('2026-11-16T10:00:00.000Z');
      // Friday 17:00 sharp is closed ([09:00, 17:00)).
      expect(paris.addBusinessTime('2026-11-13T16:00:00Z', 30 * MIN)).toBe('2026-11-16T08:30:00.000Z');
    });

    it('ends an exact fit at closing time, not at the next opening', () => {
      expect(paris.addBusinessTime('2026-11-16T08:00:00Z', 8 * HOUR)).toBe('2026-11-16T16:00:00.000Z');
      expect(paris.addBusinessTime('2026-11-16T08:00:00Z', 8 * HOUR + 1)).toBe('2026-11-17T08:00:00.001Z');
    });

    it('skips a French public holiday (11 November)', () => {
      // Tuesday 16:30: 30 min on Tuesday, Wednesday 11 Nov is closed, 90 min on Thursday.
      expect(paris.addBusinessTime('2026-11-10T15:30:00Z', 2 * HOUR)).toBe('2026-11-12T09:30:00.000Z');
    });

    it('adds nothing for 0 and refuses negative amounts', () => {
      expect(paris.addBusinessTime('2026-11-14T10:00:00+01:00', 0)).toBe('2026-11-14T09:00:00.000Z');
      expect(() => paris.addBusinessTime('2026-11-14T10:00:00Z', -1)).toThrow(RangeError);
    });
  });

  describe('several intervals per day', () => {
    const split = createBusinessCalendar({ timeZone: 'Europe/Paris', hours: weekdays('09:00-12:00', '13:00-17:00') });

    it('skips the lunch break', () => {
      expect(split.addBusinessTime('2026-11-16T10:00:00Z', 2 * HOUR)).toBe('2026-11-16T13:00:00.000Z');
      expect(split.addBusinessTime('2026-11-16T10:00:00Z', 1 * HOUR)).toBe('2026-11-16T11:00:00.000Z');
      expect(split.businessTimeBetween('2026-11-16T06:00:00Z', '2026-11-16T17:00:00Z')).toBe(7 * HOUR);
    });

    it('is closed at lunch and opens again at 13:00', () => {
      expect(split.isOpen('2026-11-16T11:30:00Z')).toBe(false);
      expect(split.isOpen('2026-11-16T10:59:59.999Z')).toBe(true);
      expect(split.nextOpening('2026-11-16T11:30:00Z')).toBe('2026-11-16T12:00:00.000Z');
      expect(split.nextOpening('2026-11-16T12:15:00Z')).toBe('2026-11-16T12:15:00.000Z');
    });
  });

  describe('closed dates', () => {
    const closed = createBusinessCalendar({
      timeZone: 'Europe/Paris',
      hours: weekdays('09:00-17:00'),
      closedDates: ['2026-11-16'],
    });

    it('treats an extra closed date like a holiday', () => {
      expect(closed.isOpen('2026-11-16T10:00:00Z')).toBe(false);
      expect(closed.nextOpening('2026-11-13T16:00:00Z')).toBe('2026-11-17T08:00:00.000Z');
      expect(closed.addBusinessTime('2026-11-13T15:30:00Z', 2 * HOUR)).toBe('2026-11-17T09:30:00.000Z');
      expect(closed.addBusinessDays('2026-11-13T10:00:00Z', 1)).toBe('2026-11-17T10:00:00.000Z');
    });
  });

  describe('businessTimeBetween', () => {
    it('counts only open time, with the sign of the interval', () => {
      expect(paris.businessTimeBetween('2026-11-13T15:30:00Z', '2026-11-16T09:30:00Z')).toBe(2 * HOUR);
      expect(paris.businessTimeBetween('2026-11-16T09:30:00Z', '2026-11-13T15:30:00Z')).toBe(-2 * HOUR);
      // Monday to Monday: four 8 h days and Wednesday 11 November closed.
      expect(paris.businessTimeBetween('2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z')).toBe(32 * HOUR);
      expect(paris.businessTimeBetween('2026-11-14T00:00:00Z', '2026-11-15T23:00:00Z')).toBe(0);
    });
  });

  describe('addBusinessDays ("N business days later")', () => {
    it('keeps the local time and skips the 11 November holiday', () => {
      // Tuesday 2026-11-10 15:00 Paris + 1 business day: Wednesday is a holiday, so Thursday 15:00.
      expect(paris.addBusinessDays('2026-11-10T14:00:00Z', 1)).toBe('2026-11-12T14:00:00.000Z');
      expect(paris.addBusinessDays('2026-11-13T15:30:00Z', 3)).toBe('2026-11-18T15:30:00.000Z');
    });

    it('rolls a start outside hours to the next opening first', () => {
      // Saturday 11:00 -> Monday 09:00 -> Tuesday 09:00.
      expect(paris.addBusinessDays('2026-11-14T10:00:00Z', 1)).toBe('2026-11-17T08:00:00.000Z');
      expect(paris.addBusinessDays('2026-11-14T10:00:00Z', 0)).toBe('2026-11-16T08:00:00.000Z');
    });

    it('takes the next open instant when that time is outside the target day hours', () => {
      const uneven = createBusinessCalendar({
        timeZone: 'Europe/Paris',
        hours: { mon: ['09:00-17:00'], tue: ['09:00-12:00'], wed: ['09:00-17:00'] },
      });
      // Monday 15:00 -> Tuesday 15:00 is closed -> Wednesday 09:00.
      expect(uneven.addBusinessDays('2026-11-16T14:00:00Z', 1)).toBe('2026-11-18T08:00:00.000Z');
      // Monday 10:00 -> Tuesday 10:00 is open.
      expect(uneven.addBusinessDays('2026-11-16T09:00:00Z', 1)).toBe('2026-11-17T09:00:00.000Z');
    });

    it('refuses a negative or fractional count', () => {
      expect(() => paris.addBusinessDays('2026-11-16T09:00:00Z', -1)).toThrow(RangeError);
      expect(() => paris.addBusinessDays('2026-11-16T09:00:00Z', 1.5)).toThrow(RangeError);
    });
  });

  describe('Asia/Kolkata (+05:30)', () => {
    const kolkata = createBusinessCalendar({ timeZone: 'Asia/Kolkata', hours: weekdays('09:00-17:00'), country: 'IN' });

    it('opens at 09:00 IST, 03:30Z', () => {
      expect(kolkata.nextOpening('2026-11-16T00:00:00Z')).toBe('2026-11-16T03:30:00.000Z');
      expect(kolkata.isOpen('2026-11-16T03:29:59.999Z')).toBe(false);
      expect(kolkata.isOpen('2026-11-16T11:29:59.999Z')).toBe(true);
      expect(kolkata.isOpen('2026-11-16T11:30:00Z')).toBe(false);
    });

    it('carries time over the night and over Gandhi Jayanti', () => {
      // Monday 16:30 IST + 2 h = Tuesday 10:30 IST.
      expect(kolkata.addBusinessTime('2026-11-16T11:00:00Z', 2 * HOUR)).toBe('2026-11-17T05:00:00.000Z');
      // Thursday 2026-10-01 16:30 IST + 2 h: Friday 2 October is a public holiday -> Monday 10:30 IST.
      expect(kolkata.addBusinessTime('2026-10-01T11:00:00Z', 2 * HOUR)).toBe('2026-10-05T05:00:00.000Z');
    });
  });

  describe('24x7', () => {
    const always = createBusinessCalendar({ timeZone: 'Europe/Paris', hours: '24x7' });

    it('is always open and counts real time', () => {
      expect(always.isOpen('2026-11-14T03:00:00Z')).toBe(true);
      expect(always.nextOpening('2026-11-14T03:00:00Z')).toBe('2026-11-14T03:00:00.000Z');
      expect(always.addBusinessTime('2026-11-14T03:00:00Z', HOUR)).toBe('2026-11-14T04:00:00.000Z');
      expect(always.businessTimeBetween('2026-11-13T00:00:00Z', '2026-11-16T00:00:00Z')).toBe(72 * HOUR);
      expect(always.addBusinessDays('2026-11-10T14:00:00Z', 1)).toBe('2026-11-11T14:00:00.000Z');
    });
  });

  describe('validation', () => {
    it('refuses an unknown zone or country', () => {
      expect(() => createBusinessCalendar({ timeZone: 'Europe/Atlantis', hours: '24x7' })).toThrow(
        UnknownTimeZoneError,
      );
      expect(() =>
        createBusinessCalendar({ timeZone: 'Europe/Paris', hours: weekdays('09:00-17:00'), country: 'XX' }),
      ).toThrow(UnknownCountryError);
    });

    it('refuses malformed hours, empty weeks and bad closed dates', () => {
      expect(() => createBusinessCalendar({ timeZone: 'Europe/Paris', hours: { mon: ['17:00-09:00'] } })).toThrow(
        /hours\.mon\[0\]/,
      );
      expect(() => createBusinessCalendar({ timeZone: 'Europe/Paris', hours: { mon: [] } })).toThrow(ValidationError);
      expect(() =>
        createBusinessCalendar({
          timeZone: 'Europe/Paris',
          hours: weekdays('09:00-17:00'),
          closedDates: ['2026-13-01'],
        }),
      ).toThrow(/closedDates\[0\]/);
    });

    it('refuses an instant without an offset (it would depend on the server zone)', () => {
      expect(() => paris.isOpen('2026-11-16T10:00:00')).toThrow(ValidationError);
      expect(() => paris.addBusinessTime('2026-02-30T10:00:00Z', HOUR)).toThrow(/not a valid date-time/);
    });
  });
});
