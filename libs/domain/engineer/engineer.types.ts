/** Where an engineer is, as dispatch sees it. A freshly registered engineer is off shift. */
export const ENGINEER_AVAILABILITIES = ['on-shift', 'off-shift', 'away'] as const;
export type EngineerAvailability = (typeof ENGINEER_AVAILABILITIES)[number];
