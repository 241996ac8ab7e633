import { ValidationError } from '../shared/domain-errors';

/**
 * Instants cross the SLA API as ISO-8601 strings. An explicit offset (or Z) is required: a local
 * date-time without one would be read in the server's zone, which would make results depend on
 * where the code runs.
 */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Epoch milliseconds of an ISO-8601 instant; a ValidationError naming `field` otherwise. */
export function parseInstant(text: string, field = 'instant'): number {
  const match = typeof text === 'string' ? ISO_INSTANT.exec(text) : null;
  if (!match)
    throw new ValidationError(`${field} must be an ISO-8601 instant with an offset, e.g. 2026-11-13T15:30:00Z`, field);
  const [, y, mo, d, h, mi, s = '0', frac = '', offset] = match;
  const year = Number(y),
    month = Number(mo),
    day = Number(d),
    hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const naive = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(naive);
  // Date.UTC silently rolls 2026-02-30 over to March: compare back to refuse impossible dates.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new ValidationError(`${field} is not a valid date-time: ${text}`, field);
  }
  return naive - offsetMs(offset);
}

/** The canonical form used in events: UTC with milliseconds, as Date#toISOString() writes it. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

function offsetMs(offset: string): number {
  if (offset === 'Z' || offset === 'z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  return sign * (h * 60 + m) * 60_000;
}
