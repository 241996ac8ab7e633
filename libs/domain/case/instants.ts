/** ISO-8601 instants may differ in format (offsets, milliseconds): compare them as numbers. */
export const epochMs = (iso: string): number => Date.parse(iso);
export const isBefore = (a: string, b: string): boolean => epochMs(a) < epochMs(b);
export const isAtOrAfter = (a: string, b: string): boolean => epochMs(a) >= epochMs(b);
