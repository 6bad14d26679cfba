/**
 * The DASH tab of an entity page and the query parameters it reads (see `TIMELINE_PARAMS` in
 * `@dash-suite/plugin-dash`'s `useTimelineUrlState` and the URL parameters in its README): the
 * window `from`/`to` and the selected `event`. The tab's path is `dash` (its
 * `EntityContentBlueprint`, and the route its README suggests for legacy apps).
 */
const DASH_TAB_PATH = 'dash';
const HOUR = 3_600_000;

/** ISO 8601 without milliseconds: `2026-03-03T14:00:00Z`. */
const isoParam = (t: number) =>
  new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A link into the DASH tab whose window holds the event's start (an hour before it to at most
 * a day later, never past now), with the event selected when it is on the timeline.
 */
export function dashTabLink(
  entityPath: string,
  startTime: string,
  now: number,
  eventId?: string,
): string {
  const start = Date.parse(startTime);
  const from = Math.floor((start - HOUR) / 60_000) * 60_000;
  let to = Math.ceil(Math.min(now, start + 23 * HOUR) / 60_000) * 60_000;
  if (to <= start) to = Math.ceil((start + HOUR) / 60_000) * 60_000;
  const params = new URLSearchParams({
    from: isoParam(from),
    to: isoParam(to),
  });
  if (eventId) params.set('event', eventId);
  return `${entityPath.replace(/\/$/, '')}/${DASH_TAB_PATH}?${params}`;
}
