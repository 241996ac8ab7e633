import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * A calendar date (`2026-11-23`, midnight UTC) or a calendar date-time with an optional offset
 * (`2026-11-23T10:00:00Z`, `2026-11-23T11:00+01:00`; without one, the server's zone, as Date reads
 * it). Not the other ISO-8601 forms (week dates `2026-W05-3`, ordinal dates `2026-035`, durations),
 * which class-validator's IsISO8601 accepts but Date cannot read; every field in its range (no
 * 30 February, no 24:00), years 0001-9999 (what PostgreSQL and Date both hold).
 */
const CALENDAR_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

export function isCalendarInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_INSTANT.exec(value);
  if (!match) return false;
  const [, year, month, day, hour = '0', minute = '0', second = '0', , offsetHours = '0', offsetMinutes = '0'] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return false;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return false;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return false;
  return !Number.isNaN(Date.parse(value));
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is this month's last day (years 1-99 read as 1901-1999: same leap years).
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An instant as isCalendarInstant() reads it; `$property` is named in the message. */
export function IsCalendarInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO-8601 calendar date-time such as 2026-11-23T10:00:00Z', ...options },
      validator: { validate: isCalendarInstant },
    });
}
