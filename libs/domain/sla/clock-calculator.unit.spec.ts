import { createClockCalculator, previewClocks } from './clock-calculator';
import { DEFAULT_SLA_POLICY, SlaPolicy } from './policy';
import { policyFingerprint } from './policy-fingerprint';
import { UnknownTimeZoneError } from './sla-errors';

const calculator = createClockCalculator(DEFAULT_SLA_POLICY);
const paris = { timeZone: 'Europe/Paris', country: 'FR' };
const DEFAULT_HASH = policyFingerprint(DEFAULT_SLA_POLICY);

describe('clock calculator (default policy)', () => {
  it('severity B opened Friday 16:30 Paris: initial response due Monday 10:30 Paris', () => {
    // 2026-11-13 is a normal week; Paris is UTC+1.
    expect(calculator.clockFor('initialResponse', 'B', '2026-11-13T15:30:00Z', paris)).toEqual({
      policyVersion: 'default-2026-11',
      policyHash: DEFAULT_HASH,
      calendar: 'business',
      startedAt: '2026-11-13T15:30:00.000Z',
      warnAt: '2026-11-16T09:00:00.000Z', // 75% of the 2 h business span: Monday 10:00
      dueAt: '2026-11-16T09:30:00.000Z', // Monday 10:30
      escalateAt: '2026-11-16T10:30:00.000Z', // + 1 h of business time: Monday 11:30
    });
  });

  it('a business-day update cadence skips 11 November', () => {
    // Tuesday 2026-11-10 15:00 Paris, B updates every business day: Wednesday is Armistice Day.
    const clock = calculator.clockFor('nextUpdate', 'B', '2026-11-10T14:00:00Z', paris);
    expect(clock.dueAt).toBe('2026-11-12T14:00:00.000Z'); // Thursday 15:00
    // Span: 2 h on Tuesday + 6 h on Thursday = 8 h; 75% = 6 h -> Thursday 13:00.
    expect(clock.warnAt).toBe('2026-11-12T12:00:00.000Z');
    expect(clock.escalateAt).toBe('2026-11-12T15:00:00.000Z');
  });

  it('counts holidays only for the contact country', () => {
    const clock = calculator.clockFor('nextUpdate', 'B', '2026-11-10T14:00:00Z', { timeZone: 'Europe/Paris' });
    expect(clock.dueAt).toBe('2026-11-11T14:00:00.000Z');
  });

  it('severity A is 24x7: PT1H from Saturday 03:00 is Saturday 04:00', () => {
    expect(calculator.clockFor('initialResponse', 'A', '2026-11-14T03:00:00Z', paris)).toEqual({
      policyVersion: 'default-2026-11',
      policyHash: DEFAULT_HASH,
      calendar: '24x7',
      startedAt: '2026-11-14T03:00:00.000Z',
      warnAt: '2026-11-14T03:45:00.000Z',
      dueAt: '2026-11-14T04:00:00.000Z',
      escalateAt: '2026-11-14T05:00:00.000Z',
    });
    expect(calculator.clockFor('nextUpdate', 'A', '2026-11-14T03:00:00Z', paris).dueAt).toBe(
      '2026-11-14T05:00:00.000Z',
    );
  });

  it('severity A counts real time across DST nights', () => {
    const cases: [string, string][] = [
      ['Europe/Paris', '2026-03-29T00:30:00Z'],
      ['Europe/Paris', '2026-10-25T00:30:00Z'],
      ['America/New_York', '2026-03-08T06:30:00Z'],
      ['America/New_York', '2026-11-01T05:30:00Z'],
      ['Australia/Sydney', '2026-04-04T15:30:00Z'],
      ['Australia/Sydney', '2026-10-03T15:30:00Z'],
    ];
    for (const [timeZone, start] of cases) {
      const clock = calculator.clockFor('initialResponse', 'A', start, { timeZone });
      expect(Date.parse(clock.dueAt) - Date.parse(start)).toBe(3_600_000);
    }
  });

  it('severity C: 4 business hours, and an update every 3 business days', () => {
    const initial = calculator.clockFor('initialResponse', 'C', '2026-11-13T15:30:00Z', paris);
    expect(initial.dueAt).toBe('2026-11-16T11:30:00.000Z'); // Monday 12:30
    expect(initial.warnAt).toBe('2026-11-16T10:30:00.000Z'); // 3 h in: Monday 11:30
    const update = calculator.clockFor('nextUpdate', 'C', '2026-11-13T15:30:00Z', paris);
    expect(update.dueAt).toBe('2026-11-18T15:30:00.000Z'); // Wednesday 16:30
    // Span 0.5 + 8 + 8 + 7.5 = 24 h; 18 h in is Wednesday 10:30.
    expect(update.warnAt).toBe('2026-11-18T09:30:00.000Z');
    // 30 min left on Wednesday, then 30 min on Thursday.
    expect(update.escalateAt).toBe('2026-11-19T08:30:00.000Z');
  });

  it('starts a business clock opened outside hours at the next opening', () => {
    const clock = calculator.clockFor('initialResponse', 'B', '2026-11-14T10:00:00Z', paris); // Saturday 11:00
    expect(clock.startedAt).toBe('2026-11-14T10:00:00.000Z');
    expect(clock.warnAt).toBe('2026-11-16T09:30:00.000Z'); // Monday 10:30
    expect(clock.dueAt).toBe('2026-11-16T10:00:00.000Z'); // Monday 11:00
  });

  it('works in Asia/Kolkata (+05:30) with Indian holidays', () => {
    // Thursday 2026-10-01 16:30 IST; Friday 2 October (Gandhi Jayanti) is closed.
    const clock = calculator.clockFor('initialResponse', 'B', '2026-10-01T11:00:00Z', {
      timeZone: 'Asia/Kolkata',
      country: 'IN',
    });
    expect(clock.dueAt).toBe('2026-10-05T05:00:00.000Z'); // Monday 10:30 IST
    expect(clock.warnAt).toBe('2026-10-05T04:30:00.000Z'); // Monday 10:00 IST
  });

  it('normalises startedAt to UTC with milliseconds', () => {
    expect(calculator.clockFor('initialResponse', 'A', '2026-11-14T04:00:00+01:00', paris).startedAt).toBe(
      '2026-11-14T03:00:00.000Z',
    );
  });

  it('rejects an unknown time zone, whatever the severity', () => {
    expect(() =>
      calculator.clockFor('initialResponse', 'B', '2026-11-13T15:30:00Z', { timeZone: 'Mars/Olympus' }),
    ).toThrow(UnknownTimeZoneError);
    expect(() =>
      calculator.clockFor('initialResponse', 'A', '2026-11-13T15:30:00Z', { timeZone: 'Mars/Olympus' }),
    ).toThrow('unknown IANA time zone "Mars/Olympus"');
  });

  it('honours the policy closed dates and disables holidays when publicHolidays is false', () => {
    const policy: SlaPolicy = {
      ...DEFAULT_SLA_POLICY,
      version: 'closures-1',
      businessCalendar: { ...DEFAULT_SLA_POLICY.businessCalendar, publicHolidays: false, closedDates: ['2026-11-16'] },
    };
    const custom = createClockCalculator(policy);
    expect(custom.policyVersion).toBe('closures-1');
    // Friday 16:30 + 2 h: Monday 16 November closed -> Tuesday 10:30.
    expect(custom.clockFor('initialResponse', 'B', '2026-11-13T15:30:00Z', paris).dueAt).toBe(
      '2026-11-17T09:30:00.000Z',
    );
    // 11 November is a working day once holidays are off.
    expect(custom.clockFor('nextUpdate', 'B', '2026-11-10T14:00:00Z', paris).dueAt).toBe('2026-11-11T14:00:00.000Z');
  });
});

describe('previewClocks', () => {
  it('gives both clocks as counted from `from`', () => {
    expect(previewClocks(calculator, 'B', '2026-11-13T15:30:00Z', paris)).toEqual({
      policyVersion: 'default-2026-11',
      policyHash: DEFAULT_HASH,
      initialResponse: { dueAt: '2026-11-16T09:30:00.000Z', warnAt: '2026-11-16T09:00:00.000Z' },
      // Friday 16:30 + 1 business day = Monday 16:30; span 8 h, warns 6 h in: Monday 14:30.
      update: { dueAt: '2026-11-16T15:30:00.000Z', warnAt: '2026-11-16T13:30:00.000Z' },
    });
  });
});

describe('clock-calendar time: how long a paused clock stood still, and moving its instants by it', () => {
  const paris = { timeZone: 'Europe/Paris', country: 'FR' };
  // Friday 2026-12-04 15:00 Paris to Monday 2026-12-07 11:00 Paris.
  const from = '2026-12-04T14:00:00.000Z';
  const to = '2026-12-07T10:00:00.000Z';

  it('24x7 (A): plain elapsed time', () => {
    expect(calculator.clockTimeBetween('A', from, to, paris)).toBe(68 * 3_600_000);
    expect(calculator.addClockTime('A', '2026-12-04T16:00:00.000Z', 68 * 3_600_000, paris)).toBe(
      '2026-12-07T12:00:00.000Z',
    );
  });

  it('business (B, C): only open hours count (Fri 15-17 and Mon 9-11: 4 h), and adding them skips closed time', () => {
    expect(calculator.clockTimeBetween('B', from, to, paris)).toBe(4 * 3_600_000);
    expect(calculator.clockTimeBetween('C', from, to, paris)).toBe(4 * 3_600_000);
    // Monday 15:00 Paris + 4 business hours = Tuesday 11:00 Paris.
    expect(calculator.addClockTime('B', '2026-12-07T14:00:00.000Z', 4 * 3_600_000, paris)).toBe(
      '2026-12-08T10:00:00.000Z',
    );
    expect(calculator.addClockTime('B', '2026-12-07T14:00:00.000Z', 0, paris)).toBe('2026-12-07T14:00:00.000Z');
  });

  it('a public holiday does not count (Christmas in France)', () => {
    expect(calculator.clockTimeBetween('B', '2026-12-24T16:00:00.000Z', '2026-12-28T09:00:00.000Z', paris)).toBe(
      3_600_000,
    );
  });

  it("carries the policy's case rules (defaults when the file had none)", () => {
    expect(calculator.caseRules).toEqual({
      untriagedSeverity: 'B',
      triageWithinMs: 30 * 60_000,
      autoResumeAfterMs: 5 * 24 * 3_600_000,
    });
  });
});
