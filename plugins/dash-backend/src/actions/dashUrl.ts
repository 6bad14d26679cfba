import { parseEntityRef } from '@backstage/catalog-model';

/**
 * A link into the DASH tab of an entity (`/catalog/<namespace>/<kind>/<name>/dash`) with the
 * window and, when given, the event selected: the query parameters the tab reads (`from`, `to`,
 * `event`, `deps=1` when the event lies on a dependency). Relative when `app.baseUrl` is unset.
 */
export function dashUrl(
  baseUrl: string | undefined,
  entityRef: string,
  window: { fromMs: number; toMs: number },
  options: { eventId?: string; dependencies?: boolean } = {},
): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const path = [namespace, kind.toLocaleLowerCase('en-US'), name]
    .map(encodeURIComponent)
    .join('/');
  const query = new URLSearchParams({
    from: isoParam(window.fromMs),
    to: isoParam(window.toMs),
  });
  if (options.eventId) query.set('event', options.eventId);
  if (options.dependencies) query.set('deps', '1');
  const base = (baseUrl ?? '').replace(/\/+$/, '');
  return `${base}/catalog/${path}/dash?${query}`;
}

/** ISO 8601 without milliseconds when they are zero, as the tab writes its own links. */
function isoParam(t: number): string {
  return new Date(t).toISOString().replace('.000Z', 'Z');
}
