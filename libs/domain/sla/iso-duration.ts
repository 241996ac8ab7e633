import { Duration } from 'luxon';

/**
 * The fixed length of an ISO-8601 duration, in milliseconds, or the reason it is refused.
 * A policy duration is an amount of clock time (business time on a business clock), so only
 * units of fixed length are accepted: weeks (7 × 24 h), days (24 h), hours, minutes, seconds.
 * Years and months vary in length; a "business day" cadence is written {businessDays: n}.
 */
const SHAPE = /^P(?!$)(?:\d+(?:[.,]\d+)?[YMWD])*(?:T(?=\d)(?:\d+(?:[.,]\d+)?[HMS])+)?$/;

export function durationMs(text: unknown): number | string {
  if (typeof text !== 'string' || !SHAPE.test(text))
    return `must be an ISO-8601 duration such as "PT2H", got ${JSON.stringify(text)}`;
  const duration = Duration.fromISO(text.replace(',', '.'));
  if (!duration.isValid) return `must be an ISO-8601 duration such as "PT2H", got ${JSON.stringify(text)}`;
  const {
    years = 0,
    quarters = 0,
    months = 0,
    weeks = 0,
    days = 0,
    hours = 0,
    minutes = 0,
    seconds = 0,
    milliseconds = 0,
  } = duration.toObject();
  if (years !== 0 || quarters !== 0 || months !== 0)
    return `${text} uses years or months, which have no fixed length (use days, hours or {businessDays: n})`;
  const ms = Math.round((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000 + milliseconds);
  if (ms <= 0) return `${text} must be a positive duration`;
  return ms;
}

/** A length in ms as an ISO-8601 duration in hours, minutes and seconds ("PT26H30M", "PT0S"). */
export function isoDurationOf(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const parts = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `PT${parts || '0S'}`;
}
