// Calendar days as the lock, the support ends and build tags write them: UTC, YYYY-MM-DD.

/** The UTC day of `d` (default: now) as YYYY-MM-DD. */
export const isoDay = (d = new Date()): string => d.toISOString().slice(0, 10);
