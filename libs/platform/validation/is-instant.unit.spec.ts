import { isCalendarInstant } from './is-instant';

describe('isCalendarInstant', () => {
  it.each([
    '2026-11-23T10:00:00Z',
    '2026-11-13T16:30:00+01:00',
    '2026-11-13T16:30+01:00',
    '2026-01-01T00:00:00.123456789Z',
    '2026-11-13T16:30:00',
    '2024-02-29',
    '2026-11-23',
  ])('accepts %s', (value) => expect(isCalendarInstant(value)).toBe(true));

  it.each([
    '2026-W05-3', // a week date: IsISO8601 says yes, Date says Invalid Date
    '2026-W05',
    '2026-035', // an ordinal date
    '2026-035T10:00:00Z',
    '2026-02-29', // not a leap year
    '2026-02-30T00:00:00Z', // Date would roll it over to 2 March
    '2026-13-45T99:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:60:00Z',
    '2026-01-01T10:00:00+25:00',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '1',
    'yesterday',
    'P1D',
    '2026-01-01T10:00:00Z\u0000',
    '',
  ])('refuses %j', (value) => expect(isCalendarInstant(value)).toBe(false));

  it('refuses what is not a string', () => {
    for (const value of [null, undefined, 0, 1767225600000, {}, ['2026-01-01']])
      expect(isCalendarInstant(value)).toBe(false);
  });
});
