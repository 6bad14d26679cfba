import { HOUR_MS } from './time';

/**
 * A link into the DASH tab of an entity (`/catalog/<namespace>/<kind>/<name>/dash`) with the
 * window and, when given, the event selected: the query parameters the tab reads (`from`, `to`,
 * `event`, `deps=1` when the event lies on a dependency). Relative when `baseUrl` (the app's
 * `app.baseUrl`) is unset. Used by the DASH actions and the search collator.
 */
export function dashUrl(
  baseUrl: string | undefined,
  entityRef: string,
  window: { fromMs: number; toMs: number },
  options: { eventId?: string; dependencies?: boolean } = {},
): string {
  const { kind, namespace, name } = splitEntityRef(entityRef);
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

/**
 * The window a link to one event opens: an hour either side of it (of its end, when it has
 * one), so the tab shows what happened around it.
 */
export function dashEventWindow(event: {
  startTime: string;
  endTime?: string;
}): {
  fromMs: number;
  toMs: number;
} {
  const start = Date.parse(event.startTime);
  const end = event.endTime ? Date.parse(event.endTime) : start;
  return { fromMs: start - HOUR_MS, toMs: Math.max(start, end) + HOUR_MS };
}

/** `kind:namespace/name`, with the namespace `default` when it is left out. */
function splitEntityRef(ref: string) {
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/', colon + 1);
  if (colon <= 0 || colon === ref.length - 1) {
    throw new TypeError(
      `'${ref}' is not an entity ref like component:default/payments-api`,
    );
  }
  return slash === -1
    ? {
        kind: ref.slice(0, colon),
        namespace: 'default',
        name: ref.slice(colon + 1),
      }
    : {
        kind: ref.slice(0, colon),
        namespace: ref.slice(colon + 1, slash),
        name: ref.slice(slash + 1),
      };
}

/** ISO 8601 without milliseconds when they are zero, as the tab writes its own links. */
function isoParam(t: number): string {
  return new Date(t).toISOString().replace('.000Z', 'Z');
}
