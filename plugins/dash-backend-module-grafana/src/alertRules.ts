import { DashEvent } from '@dash-suite/plugin-dash-common';
import { UpstreamCaller } from '@dash-suite/plugin-dash-node';
import { CONFIG_ROOT } from './config';
import { firingAlertEvent } from './normalize';
import {
  AlertRule,
  alertRuleSchema,
  amAlertSchema,
  lenientArray,
} from './schemas';
import { LabelMatcher, matchesLabels } from './selector';
import { GrafanaRead, GrafanaTarget } from './target';

/** Grafana-managed alert rules carrying one of the selector's labels. */
export async function findAlertRules(
  read: GrafanaRead,
  matchers: LabelMatcher[],
  entityRef: string,
): Promise<AlertRule[]> {
  const { target, settings, upstream, logger } = read;
  const { items, dropped } = await target.client.get(
    upstream,
    '/api/v1/provisioning/alert-rules',
    [],
    lenientArray(alertRuleSchema),
    'list alert rules',
  );
  if (dropped) logger.warn(`Grafana: skipped ${dropped} malformed alert rules`);
  const matched = items.filter(r => matchesLabels(matchers, r.labels ?? {}));
  if (matched.length > settings.maxAlertRules) {
    logger.warn(
      `Grafana: ${matched.length} alert rules match ${entityRef}'s label selector; the state history of the first ${settings.maxAlertRules} is read (${CONFIG_ROOT}.maxAlertRules)`,
    );
  }
  return matched.slice(0, settings.maxAlertRules);
}

/** The alerts firing now (active, not silenced or inhibited) that match the label selector. */
export async function readFiringAlerts(
  target: GrafanaTarget,
  upstream: UpstreamCaller,
  entityRef: string,
): Promise<DashEvent[]> {
  if (!target.alerts) return [];
  const { items } = await target.client.get(
    upstream,
    '/api/alertmanager/grafana/api/v2/alerts',
    [
      ['active', 'true'],
      ['silenced', 'false'],
      ['inhibited', 'false'],
    ],
    lenientArray(amAlertSchema),
    'list firing alerts',
  );
  return items
    .filter(a => (a.status?.state ?? 'active') === 'active')
    .filter(a => matchesLabels(target.alerts!, a.labels))
    .map(a => firingAlertEvent(a, entityRef, target.client.instance.uiBaseUrl))
    .filter((e): e is DashEvent => Boolean(e))
    .sort((a, b) => a.startTime.localeCompare(b.startTime));
}
