import type { ClockCalculator, ClockDue } from '../../domain/sla/sla-clock';

/** Per cache: ~5 MiB of keys and answers; more only grows the heap (the hits come from the same few hours). */
export const MEMO_ENTRIES = 20_000;

/**
 * A calculator remembering its answers (the same question always gets the same instants): a
 * replay over a million events asks the same ones often (cases opened on the hour, clocks of the
 * same place), and each answer costs time-zone conversions. Bounded: a cache is dropped when
 * full, so memory stays flat.
 */
export function memoizedCalculator(calculator: ClockCalculator, maxEntries = MEMO_ENTRIES): ClockCalculator {
  let cache = new Map<string, ClockDue>();
  let dues = new Map<string, string>();
  let between = new Map<string, number>();
  let added = new Map<string, string>();
  const place = (l: { timeZone: string; country?: string; region?: string }) =>
    `${l.timeZone}|${l.country ?? ''}|${l.region ?? ''}`;
  return {
    policyVersion: calculator.policyVersion,
    policyHash: calculator.policyHash,
    publicHolidays: calculator.publicHolidays,
    caseRules: calculator.caseRules,
    clockTimeBetween(severity, from, to, location) {
      const key = `${severity}|${from}|${to}|${place(location)}`;
      let ms = between.get(key);
      if (ms === undefined) {
        ms = calculator.clockTimeBetween(severity, from, to, location);
        if (between.size >= maxEntries) between = new Map();
        between.set(key, ms);
      }
      return ms;
    },
    addClockTime(severity, instant, ms, location) {
      const key = `${severity}|${instant}|${ms}|${place(location)}`;
      let at = added.get(key);
      if (at === undefined) {
        at = calculator.addClockTime(severity, instant, ms, location);
        if (added.size >= maxEntries) added = new Map();
        added.set(key, at);
      }
      return at;
    },
    dueAt(kind, severity, startedAt, location) {
      const key = `${kind}|${severity}|${startedAt}|${place(location)}`;
      let due = dues.get(key);
      if (due === undefined) {
        due = calculator.dueAt
          ? calculator.dueAt(kind, severity, startedAt, location)
          : calculator.clockFor(kind, severity, startedAt, location).dueAt;
        if (dues.size >= maxEntries) dues = new Map();
        dues.set(key, due);
      }
      return due;
    },
    clockFor(kind, severity, startedAt, location) {
      const key = `${kind}|${severity}|${startedAt}|${location.timeZone}|${location.country ?? ''}|${location.region ?? ''}`;
      let due = cache.get(key);
      if (!due) {
        due = calculator.clockFor(kind, severity, startedAt, location);
        if (cache.size >= maxEntries) cache = new Map();
        cache.set(key, due);
      }
      return due;
    },
  };
}
