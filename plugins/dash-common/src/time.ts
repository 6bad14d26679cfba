/**
 * Durations in milliseconds, shared by the DASH packages so that no package
 * spells out `24 * 3_600_000` on its own.
 */

/**
 * One minute in milliseconds.
 *
 * @public
 */
export const MINUTE_MS = 60_000;

/**
 * One hour in milliseconds.
 *
 * @public
 */
export const HOUR_MS = 60 * MINUTE_MS;

/**
 * One day in milliseconds.
 *
 * @public
 */
export const DAY_MS = 24 * HOUR_MS;
