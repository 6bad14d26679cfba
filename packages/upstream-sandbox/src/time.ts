/*
 * Time helpers. Everything on the wire is UTC.
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** ISO 8601 without milliseconds, as PagerDuty and GitHub write it: 2024-05-01T10:00:00Z. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}

/** ISO 8601 with milliseconds, as Elasticsearch and Kibana write it. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Parses a time parameter: ISO 8601 (with or without zone; without is UTC), or epoch
 * milliseconds. Returns undefined for anything else.
 */
export function parseTime(
  value: string | undefined | null,
): number | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^-?\d+$/.test(trimmed)) {
    return Number(trimmed);
  }
  let text = trimmed;
  // A date-time without a zone is UTC here (PagerDuty defaults to the account's zone, UTC).
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) {
    text += 'Z';
  }
  // "2024-05-01 10:00:00" style.
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text)) {
    text = text.replace(' ', 'T');
    if (!/[zZ]|[+-]\d{2}:?\d{2}$/.test(text)) text += 'Z';
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Index of the first element whose time is >= t, in an array sorted by time ascending. */
export function lowerBound<T>(
  items: readonly T[],
  t: number,
  time: (item: T) => number,
): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time(items[mid]) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** yyyy.mm.dd of a UTC day, as daily index names use it. */
export function dayStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(
    2,
    '0',
  )}.${String(d.getUTCDate()).padStart(2, '0')}`;
}
