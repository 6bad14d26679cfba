import { DateTime } from 'luxon';

/*
 * Times are shown in the browser's zone: `@dash-suite/plugin-dash` keeps a local/UTC preference
 * (its `useTimeZonePreference`) but does not export it, so the cards cannot follow it yet.
 */

/** `45 s`, `12 min`, `3 h`, `2 d`: how old something is. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

/** `4 min ago`, from an ISO time; `in 3 h` for a time ahead. */
export function formatRelative(iso: string, now: number): string {
  const delta = now - Date.parse(iso);
  return delta >= 0 ? `${formatAge(delta)} ago` : `in ${formatAge(-delta)}`;
}

/** `Tue 3 Mar 14:03`, in the browser's zone. */
export function formatTime(iso: string): string {
  const dt = DateTime.fromISO(iso);
  return dt.isValid ? dt.toFormat('ccc d LLL HH:mm') : iso;
}

/** `2026-03-03 14:03 CET`: the full time, for a tooltip. */
export function formatFullTime(iso: string): string {
  const dt = DateTime.fromISO(iso);
  return dt.isValid ? dt.toFormat('yyyy-LL-dd HH:mm ZZZZ') : iso;
}

/** A string attribute of an event, or undefined. */
export function textAttribute(
  attributes: Record<string, unknown>,
  key: string,
): string | undefined {
  const v = attributes[key];
  return typeof v === 'string' && v.trim() ? v : undefined;
}
