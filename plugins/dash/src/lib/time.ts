import { DAY_MS, HOUR_MS, MINUTE_MS } from '@dash-suite/plugin-dash-common';
import { DateTime, Duration } from 'luxon';

/** How times are shown: in the browser's zone or in UTC. On the wire, time is always UTC. */
export type TimeZoneChoice = 'local' | 'utc';

export const PRESETS = [
  { id: '1h', label: '1 h', ms: HOUR_MS },
  { id: '6h', label: '6 h', ms: 6 * HOUR_MS },
  { id: '24h', label: '24 h', ms: DAY_MS },
  { id: '7d', label: '7 d', ms: 7 * DAY_MS },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];

export function presetMs(id: string | undefined): number | undefined {
  return PRESETS.find(p => p.id === id)?.ms;
}

/** The preset whose length the window has, if any (so its button shows as pressed). */
export function matchingPreset(from: number, to: number): PresetId | undefined {
  const length = to - from;
  return PRESETS.find(p => Math.abs(p.ms - length) < MINUTE_MS)?.id;
}

function zoneOf(tz: TimeZoneChoice) {
  // The local zone is luxon's default zone: the browser's own unless a test changes it.
  return tz === 'utc' ? 'utc' : DateTime.local().zone;
}

export function toDateTime(t: number | string, tz: TimeZoneChoice): DateTime {
  return typeof t === 'number'
    ? DateTime.fromMillis(t, { zone: zoneOf(tz) })
    : DateTime.fromISO(t).setZone(zoneOf(tz));
}

/** `UTC`, or the short name of the browser's zone such as `CET`. */
export function zoneLabel(tz: TimeZoneChoice): string {
  return tz === 'utc' ? 'UTC' : DateTime.local().offsetNameShort ?? 'local';
}

/** `14:03:07` within a day, `Tue 3 Mar 14:03` when the window spans days. */
export function formatEventTime(
  t: number | string,
  tz: TimeZoneChoice,
  withDate: boolean,
): string {
  const dt = toDateTime(t, tz);
  return withDate ? dt.toFormat('ccc d LLL HH:mm') : dt.toFormat('HH:mm:ss');
}

/** Full timestamp with zone, for details and announcements: `2026-03-03 14:03:07 UTC`. */
export function formatFullTime(t: number | string, tz: TimeZoneChoice): string {
  return `${toDateTime(t, tz).toFormat('yyyy-LL-dd HH:mm:ss')} ${zoneLabel(
    tz,
  )}`;
}

/** `Tue 3 Mar 2026 14:00 – 20:00 UTC` or across days `3 Mar 14:00 – 4 Mar 02:00 UTC`. */
export function formatWindow(
  from: number,
  to: number,
  tz: TimeZoneChoice,
): string {
  const a = toDateTime(from, tz);
  const b = toDateTime(to, tz);
  const sameDay = a.hasSame(b, 'day');
  const left = a.toFormat('ccc d LLL yyyy HH:mm');
  const right = sameDay ? b.toFormat('HH:mm') : b.toFormat('ccc d LLL HH:mm');
  return `${left} – ${right} ${zoneLabel(tz)}`;
}

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

/** `1 h 20 min`: a duration such as an incident's. */
export function formatDuration(ms: number): string {
  const d = Duration.fromMillis(Math.max(0, ms)).shiftTo(
    'days',
    'hours',
    'minutes',
    'seconds',
  );
  const parts: string[] = [];
  if (d.days) parts.push(`${d.days} d`);
  if (d.hours) parts.push(`${d.hours} h`);
  if (d.minutes) parts.push(`${d.minutes} min`);
  if (!parts.length) parts.push(`${Math.round(d.seconds)} s`);
  return parts.slice(0, 2).join(' ');
}

/** Value for an `<input type="datetime-local">` in the chosen zone. */
export function toInputValue(ms: number, tz: TimeZoneChoice): string {
  return toDateTime(ms, tz).toFormat("yyyy-LL-dd'T'HH:mm");
}

/** Parses an `<input type="datetime-local">` value in the chosen zone; undefined when invalid. */
export function fromInputValue(
  value: string,
  tz: TimeZoneChoice,
): number | undefined {
  const dt = DateTime.fromISO(value, { zone: zoneOf(tz) });
  return dt.isValid ? dt.toMillis() : undefined;
}

const TICK_STEPS = [
  MINUTE_MS,
  5 * MINUTE_MS,
  10 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
  2 * DAY_MS,
  7 * DAY_MS,
];

export interface Tick {
  t: number;
  label: string;
}

/**
 * Round ticks for the axis, aligned in the chosen zone, at most `maxTicks` of them. Labels carry
 * the date at midnight and for steps of a day or more.
 */
export function axisTicks(
  from: number,
  to: number,
  tz: TimeZoneChoice,
  maxTicks = 8,
): Tick[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const step =
    TICK_STEPS.find(s => span / s <= maxTicks) ??
    TICK_STEPS[TICK_STEPS.length - 1];
  const start = toDateTime(from, tz);
  // Align to the step within the zone: whole minutes, hours or days.
  let first: DateTime;
  if (step >= DAY_MS) {
    first = start.startOf('day');
  } else if (step >= HOUR_MS) {
    const hours = step / HOUR_MS;
    first = start
      .startOf('hour')
      .set({ hour: Math.floor(start.hour / hours) * hours });
  } else {
    const minutes = step / MINUTE_MS;
    first = start
      .startOf('minute')
      .set({ minute: Math.floor(start.minute / minutes) * minutes });
  }
  const ticks: Tick[] = [];
  // Bounded: span / step <= maxTicks, plus the one before `from` we skip.
  for (let i = 0; i <= maxTicks + 1; i++) {
    const dt =
      step >= DAY_MS
        ? first.plus({ days: (i * step) / DAY_MS })
        : first.plus({ milliseconds: i * step });
    const t = dt.toMillis();
    if (t > to) break;
    if (t < from) continue;
    const midnight = dt.hour === 0 && dt.minute === 0;
    ticks.push({
      t,
      label:
        step >= DAY_MS || midnight
          ? dt.toFormat('ccc d LLL')
          : dt.toFormat('HH:mm'),
    });
  }
  return ticks;
}
