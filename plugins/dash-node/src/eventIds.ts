/**
 * Builds the stable id of an event: `<source>:<part>[:<part>...]`. Parts are upstream ids, never
 * times or titles, so that a refresh maps onto the same event.
 *
 * @public
 */
export function dashEventId(
  source: string,
  ...parts: Array<string | number>
): string {
  if (parts.length === 0) {
    throw new Error('dashEventId needs at least one upstream id part');
  }
  return [source, ...parts.map(p => String(p))].join(':');
}

/** Re-exported from dash-common, where the frontend uses it too. */
export { safeLink } from '@dash-suite/plugin-dash-common';
