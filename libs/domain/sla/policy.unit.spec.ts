import { DEFAULT_SLA_POLICY, parseSlaPolicy } from './policy';
import { SlaPolicyError } from './sla-errors';

const FILE = '/etc/casetrail/sla.json';
const valid = () => JSON.parse(JSON.stringify(DEFAULT_SLA_POLICY));

function problemsOf(raw: unknown): { field: string; message: string }[] {
  try {
    parseSlaPolicy(raw, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(SlaPolicyError);
    return [...(error as SlaPolicyError).errors];
  }
  throw new Error('expected the policy to be refused');
}
const fields = (raw: unknown) => problemsOf(raw).map((p) => p.field);

describe('SLA policy', () => {
  it('has the api.md example as its built-in default', () => {
    expect(DEFAULT_SLA_POLICY).toEqual({
      version: 'default-2026-11',
      warnAt: 0.75,
      escalateAfterOverdue: 'PT1H',
      businessCalendar: {
        week: {
          mon: ['09:00-17:00'],
          tue: ['09:00-17:00'],
          wed: ['09:00-17:00'],
          thu: ['09:00-17:00'],
          fri: ['09:00-17:00'],
        },
        publicHolidays: true,
        closedDates: [],
      },
      severities: {
        A: { calendar: '24x7', initialResponse: 'PT1H', update: 'PT2H' },
        B: { calendar: 'business', initialResponse: 'PT2H', update: { businessDays: 1 } },
        C: { calendar: 'business', initialResponse: 'PT4H', update: { businessDays: 3 } },
      },
      untriagedSeverity: 'B',
      triageWithin: 'PT30M',
      autoResumeAfter: 'P5D',
    });
    expect(Object.isFrozen(DEFAULT_SLA_POLICY.severities.B.update)).toBe(true);
  });

  it('takes the second-wave fields when given, and judges them like the rest', () => {
    const policy = parseSlaPolicy(
      { ...valid(), untriagedSeverity: 'C', triageWithin: 'PT15M', autoResumeAfter: 'P2D' },
      FILE,
    );
    expect(policy).toMatchObject({ untriagedSeverity: 'C', triageWithin: 'PT15M', autoResumeAfter: 'P2D' });
    expect(() =>
      parseSlaPolicy({ ...valid(), untriagedSeverity: 'D', triageWithin: 'soon', autoResumeAfter: 'P1M' }, FILE),
    ).toThrow(
      /untriagedSeverity: must be "A", "B" or "C", got "D".*triageWithin: must be an ISO-8601 duration.*autoResumeAfter: P1M uses years or months/s,
    );
  });

  it('accepts a valid file, defaulting closedDates, and leaves the input unfrozen', () => {
    const raw = valid();
    delete raw.businessCalendar.closedDates;
    raw.businessCalendar.week.sat = ['09:00-12:00', '13:00-17:00'];
    const policy = parseSlaPolicy(raw, FILE);
    expect(policy.businessCalendar.closedDates).toEqual([]);
    expect(policy.businessCalendar.week.sat).toEqual(['09:00-12:00', '13:00-17:00']);
    expect(parseSlaPolicy(valid(), FILE)).toEqual(DEFAULT_SLA_POLICY);
    expect(Object.isFrozen(raw)).toBe(false);
  });

  it('names the file, the field path and the reason', () => {
    const raw = valid();
    raw.severities.B.update = { businessDays: 0 };
    expect(() => parseSlaPolicy(raw, FILE)).toThrow(
      'SLA policy /etc/casetrail/sla.json is invalid: severities.B.update.businessDays: must be a positive integer, got 0',
    );
  });

  it('collects every problem, not only the first', () => {
    const raw = valid();
    raw.version = '';
    raw.warnAt = 1;
    raw.escalateAfterOverdue = 'PT0S';
    raw.severities.A.initialResponse = 'P1M';
    raw.severities.B.calendar = 'office';
    raw.severities.C.update = { businessDays: 2.5 };
    expect(problemsOf(raw)).toEqual([
      { field: 'version', message: 'must be a non-empty string' },
      { field: 'warnAt', message: 'must be a number strictly between 0 and 1, got 1' },
      { field: 'escalateAfterOverdue', message: 'PT0S must be a positive duration' },
      {
        field: 'severities.A.initialResponse',
        message: 'P1M uses years or months, which have no fixed length (use days, hours or {businessDays: n})',
      },
      { field: 'severities.B.calendar', message: 'must be "24x7" or "business", got "office"' },
      { field: 'severities.C.update.businessDays', message: 'must be a positive integer, got 2.5' },
    ]);
  });

  it('validates durations', () => {
    const raw = valid();
    raw.severities.A.update = '2h';
    raw.severities.B.initialResponse = 'PT-1H';
    raw.severities.C.initialResponse = 'PT';
    raw.severities.C.update = 42;
    expect(fields(raw)).toEqual([
      'severities.A.update',
      'severities.B.initialResponse',
      'severities.C.initialResponse',
      'severities.C.update',
    ]);
    expect(parseSlaPolicy({ ...valid(), escalateAfterOverdue: 'P1DT30M' }, FILE).escalateAfterOverdue).toBe('P1DT30M');
  });

  it('validates the week: day keys, interval syntax, order and overlap', () => {
    const raw = valid();
    raw.businessCalendar.week = {
      mon: ['09:00-12:00', '11:00-17:00'],
      tue: ['13:00-17:00', '09:00-12:00'],
      wed: ['9:00-17:00'],
      thu: ['17:00-09:00'],
      fri: ['09:00-24:30'],
      sat: ['00:00-24:00'],
      funday: ['09:00-17:00'],
    };
    expect(fields(raw)).toEqual([
      'businessCalendar.week.mon[1]',
      'businessCalendar.week.tue[1]',
      'businessCalendar.week.wed[0]',
      'businessCalendar.week.thu[0]',
      'businessCalendar.week.fri[0]',
      'businessCalendar.week.funday',
    ]);
  });

  it('refuses a week with no open hours', () => {
    const raw = valid();
    raw.businessCalendar.week = { mon: [] };
    expect(fields(raw)).toEqual(['businessCalendar.week']);
  });

  it('validates closed dates and publicHolidays', () => {
    const raw = valid();
    raw.businessCalendar.closedDates = ['2026-12-24', '2026-02-30', '24/12/2026'];
    raw.businessCalendar.publicHolidays = 'yes';
    expect(fields(raw)).toEqual([
      'businessCalendar.publicHolidays',
      'businessCalendar.closedDates[1]',
      'businessCalendar.closedDates[2]',
    ]);
  });

  it('requires severities A, B and C and refuses unknown keys', () => {
    const raw = valid();
    delete raw.severities.C;
    raw.severities.D = raw.severities.B;
    raw.escalateAfterOverdu = 'PT1H';
    raw.severities.A.note = 'x';
    raw.severities.B.update.extra = true;
    expect(problemsOf(raw)).toEqual(
      expect.arrayContaining([
        { field: 'escalateAfterOverdu', message: 'is not a known field' },
        { field: 'severities.C', message: 'is required' },
        { field: 'severities.D', message: 'is not a known field' },
        { field: 'severities.A.note', message: 'is not a known field' },
        { field: 'severities.B.update.extra', message: 'is not a known field' },
      ]),
    );
  });

  it('refuses a file that is not an object, or misses required fields', () => {
    expect(problemsOf([])).toEqual([{ field: '(root)', message: 'must be an object' }]);
    expect(fields({ version: 'v1' })).toEqual(['warnAt', 'escalateAfterOverdue', 'businessCalendar', 'severities']);
  });
});
