/** The SLA engine of the domain layer: policy, business calendars and clock due instants. */
export * from './sla-clock';
export * from './sla-errors';
export { DEFAULT_SLA_POLICY, parseSlaPolicy } from './policy';
export type { BusinessCalendarPolicy, BusinessDaysCadence, IsoDuration, SeverityPolicy, SlaPolicy } from './policy';
export { createBusinessCalendar } from './business-calendar';
export type { BusinessCalendar, BusinessCalendarOptions } from './business-calendar';
export { createClockCalculator, previewClocks } from './clock-calculator';
export type { ClockPreview, SlaPreview } from './clock-calculator';
export type { WeeklyHours } from './opening-hours';
export { WEEK_DAYS, isKnownTimeZone } from './zoned-time';
export type { WeekDay } from './zoned-time';
export { isKnownCountry, isKnownRegion, regionsOf } from './public-holidays';
export { timeZoneFitsCountry } from './zone-countries';
export { canonicalJson, policyFingerprint } from './policy-fingerprint';
export { durationMs } from './iso-duration';
export { formatInstant, parseInstant } from './instant';
