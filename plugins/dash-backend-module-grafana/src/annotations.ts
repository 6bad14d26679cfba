import { Query } from './GrafanaClient';
import { Annotation, annotationSchema, lenientArray } from './schemas';
import { GrafanaRead } from './target';

/**
 * Annotations in [from, to] matching `query`. Grafana has no offset: it answers the newest
 * `limit`, so a full page is followed by another one ending at its oldest annotation, at most
 * `maxPages` times.
 */
export async function readAnnotations(
  read: GrafanaRead,
  query: Query,
  fromMs: number,
  toMs: number,
): Promise<Annotation[]> {
  const { target, settings, upstream, logger } = read;
  const limit = settings.annotationPageSize;
  const byId = new Map<number, Annotation>();
  let to = toMs;
  for (let page = 0; page < settings.maxPages; page++) {
    const { items, dropped } = await target.client.get(
      upstream,
      '/api/annotations',
      [
        ...query,
        ['from', String(Math.floor(fromMs))],
        ['to', String(Math.ceil(to))],
        ['limit', String(limit)],
      ],
      lenientArray(annotationSchema),
      'list annotations',
    );
    if (dropped)
      logger.warn(`Grafana: skipped ${dropped} malformed annotations`);
    let added = 0;
    for (const a of items) {
      if (!byId.has(a.id)) {
        byId.set(a.id, a);
        added += 1;
      }
    }
    if (items.length + dropped < limit) return [...byId.values()];
    const oldest = Math.min(...items.map(a => a.time));
    if (added === 0 || !Number.isFinite(oldest) || oldest <= fromMs) break;
    to = oldest;
  }
  logger.warn(
    `Grafana: stopped reading annotations (${query
      .map(([k, v]) => `${k}=${v}`)
      .join('&')}) after ${
      settings.maxPages
    } pages of ${limit}; older ones are not shown`,
  );
  return [...byId.values()];
}
