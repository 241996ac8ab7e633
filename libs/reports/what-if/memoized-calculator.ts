import type { ClockCalculator, ClockDue } from '../../domain/sla/sla-clock';

const MAX_ENTRIES = 200_000;

/**
 * A calculator remembering its clockFor answers (the same kind, severity, start and place always
 * get the same instants): a replay over a million events asks the same questions often, and each
 * answer costs a zone lookup. Bounded: the cache is dropped when full, so memory stays flat.
 */
export function memoizedCalculator(calculator: ClockCalculator): ClockCalculator {
  let cache = new Map<string, ClockDue>();
  return {
    policyVersion: calculator.policyVersion,
    policyHash: calculator.policyHash,
    publicHolidays: calculator.publicHolidays,
    caseRules: calculator.caseRules,
    clockTimeBetween: (...args) => calculator.clockTimeBetween(...args),
    addClockTime: (...args) => calculator.addClockTime(...args),
    clockFor(kind, severity, startedAt, location) {
      const key = `${kind}|${severity}|${startedAt}|${location.timeZone}|${location.country ?? ''}|${location.region ?? ''}`;
      let due = cache.get(key);
      if (!due) {
        due = calculator.clockFor(kind, severity, startedAt, location);
        if (cache.size >= MAX_ENTRIES) cache = new Map();
        cache.set(key, due);
      }
      return due;
    },
  };
}
