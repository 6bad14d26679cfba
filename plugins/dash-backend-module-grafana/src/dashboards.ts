import { Query } from './GrafanaClient';
import { SearchHit, lenientArray, searchHitSchema } from './schemas';
import { matchesSelector, requiredTags } from './selector';
import { GrafanaRead, GrafanaTarget } from './target';

const SEARCH_PAGE_SIZE = 1000;
/** Dashboards remembered per selector for deep links. */
const DASHBOARD_CACHE_SIZE = 1000;

/**
 * Finds the dashboards a selector matches, and remembers the last ones found per (instance,
 * selector) so that deep links can name them without calling Grafana.
 */
export class DashboardFinder {
  private readonly cache = new Map<string, SearchHit[]>();

  /** Dashboards matching the selector: searched by the tags every match needs, then evaluated. */
  async find(read: GrafanaRead): Promise<SearchHit[]> {
    const { target, settings, upstream, logger } = read;
    const { client } = target;
    const required = requiredTags(target.dashboards!);
    const found: SearchHit[] = [];
    let truncated = true;
    for (let page = 1; page <= settings.maxPages; page++) {
      const query: Query = [
        ['type', 'dash-db'],
        ...required.map(t => ['tag', t] as [string, string]),
        ['limit', String(SEARCH_PAGE_SIZE)],
        ['page', String(page)],
      ];
      const { items, dropped } = await client.get(
        upstream,
        '/api/search',
        query,
        lenientArray(searchHitSchema),
        'search dashboards',
      );
      if (dropped)
        logger.warn(`Grafana: skipped ${dropped} malformed search hits`);
      found.push(...items);
      if (items.length + dropped < SEARCH_PAGE_SIZE) {
        truncated = false;
        break;
      }
    }
    if (truncated) {
      logger.warn(
        `Grafana: stopped searching dashboards after ${settings.maxPages} pages of ${SEARCH_PAGE_SIZE}; make the selector name a tag`,
      );
    }
    const ui = client.instance.uiBaseUrl;
    const matched = found.filter(
      d =>
        (d.type ?? 'dash-db') === 'dash-db' &&
        matchesSelector(target.dashboards!, {
          title: d.title ?? undefined,
          tags: d.tags ?? [],
          url: d.url ? `${ui}${d.url}` : undefined,
          folderTitle: d.folderTitle ?? undefined,
          folderUrl: d.folderUrl ? `${ui}${d.folderUrl}` : undefined,
        }),
    );
    const key = cacheKey(target);
    this.cache.delete(key);
    this.cache.set(key, matched.slice(0, 50));
    if (this.cache.size > DASHBOARD_CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return matched;
  }

  /** The dashboards found last for the target's selector, if any. */
  remembered(target: GrafanaTarget): SearchHit[] | undefined {
    return this.cache.get(cacheKey(target));
  }
}

function cacheKey(target: GrafanaTarget) {
  return `${target.client.instance.key}\u0000${target.selectorText}`;
}
