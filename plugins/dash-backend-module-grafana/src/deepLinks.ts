import { DeepLink, safeLink } from '@dash-suite/plugin-dash-node';
import { dashboardLink } from './normalize';
import { SearchHit } from './schemas';
import { requiredTags } from './selector';
import { GrafanaTarget } from './target';

/**
 * Links into Grafana for an entity: its dashboards on the window (those found last, else a
 * search by the selector's tags) and its alert rules by label.
 */
export function grafanaDeepLinks(
  target: GrafanaTarget,
  dashboards: SearchHit[] | undefined,
  window: { from: Date; to: Date },
): DeepLink[] {
  const ui = target.client.instance.uiBaseUrl;
  const links: DeepLink[] = [];
  if (target.dashboards) {
    if (dashboards?.length) {
      for (const d of dashboards.slice(0, 20)) {
        const url = dashboardLink(
          ui,
          d.uid,
          window.from.getTime(),
          window.to.getTime(),
        );
        if (url) links.push({ title: `Grafana: ${d.title ?? d.uid}`, url });
      }
    } else {
      const tags = requiredTags(target.dashboards);
      const url = tags.length
        ? safeLink(
            `${ui}/dashboards?${tags
              .map(t => `tag=${encodeURIComponent(t)}`)
              .join('&')}`,
          )
        : undefined;
      if (url)
        links.push({
          title: `Grafana dashboards tagged ${tags.join(', ')}`,
          url,
        });
    }
  }
  for (const m of (target.alerts ?? []).slice(0, 3)) {
    const url = safeLink(
      `${ui}/alerting/list?search=${encodeURIComponent(
        `label:${m.label}=${m.value}`,
      )}`,
    );
    if (url)
      links.push({
        title: `Grafana alert rules (${m.label}=${m.value})`,
        url,
      });
  }
  return links;
}
