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

interface KeptList {
  rules: Promise<AlertRule[]>;
  /** When the answer came; undefined while the read is in flight. */
  readAt?: number;
}

/**
 * The alert rules of each Grafana instance, read once for the fetches of every entity within
 * `alertRuleListSeconds`. Grafana lists an instance's rules in one answer and cannot filter it
 * by label: with thousands of rules that is megabytes per entity's fetch, the same for each.
 * Fetches that start while a read is in flight share it; a failed read is not kept.
 */
export class AlertRuleLists {
  private readonly kept = new Map<string, KeptList>();

  constructor(
    private readonly reuseMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Every rule of the read's instance. */
  list(read: GrafanaRead): Promise<AlertRule[]> {
    const key = read.target.client.instance.key;
    const kept = this.kept.get(key);
    if (
      kept &&
      (kept.readAt === undefined || this.clock() - kept.readAt < this.reuseMs)
    )
      return kept.rules;
    const entry: KeptList = { rules: this.read(read) };
    this.kept.set(key, entry);
    entry.rules.then(
      () => {
        entry.readAt = this.clock();
      },
      () => {
        if (this.kept.get(key) === entry) this.kept.delete(key);
      },
    );
    return entry.rules;
  }

  private async read(read: GrafanaRead): Promise<AlertRule[]> {
    const { target, upstream, logger } = read;
    const { items, dropped } = await target.client.get(
      upstream,
      '/api/v1/provisioning/alert-rules',
      [],
      lenientArray(alertRuleSchema),
      'list alert rules',
    );
    if (dropped)
      logger.warn(`Grafana: skipped ${dropped} malformed alert rules`);
    return items;
  }
}

/** Grafana-managed alert rules carrying one of the selector's labels. */
export async function findAlertRules(
  read: GrafanaRead,
  lists: AlertRuleLists,
  matchers: LabelMatcher[],
  entityRef: string,
): Promise<AlertRule[]> {
  const { settings, logger } = read;
  const items = await lists.list(read);
  const matched = items.filter(r => matchesLabels(matchers, r.labels ?? {}));
  if (matched.length > settings.maxAlertRules) {
    logger.warn(
      `Grafana: ${matched.length} alert rules match ${entityRef}'s label selector; the state history of the first ${settings.maxAlertRules} is read (${CONFIG_ROOT}.maxAlertRules)`,
    );
  }
  return matched.slice(0, settings.maxAlertRules);
}

/**
 * Alertmanager's `filter` for a selector, when it can say the same: one `label="value"` matcher
 * (Alertmanager ANDs its filters, where a selector of several matchers ORs them), with a value
 * that needs no escaping. Otherwise undefined, and the instance's firing alerts are read whole.
 */
export function alertmanagerFilter(
  matchers: LabelMatcher[],
): string | undefined {
  if (matchers.length !== 1) return undefined;
  const [{ label, value }] = matchers;
  if (/["\\{},\n]/.test(value)) return undefined;
  return `${label}="${value}"`;
}

/**
 * The alerts firing now (active, not silenced or inhibited) that match the label selector. A
 * selector of one matcher is also sent as Alertmanager's `filter`, so that Grafana answers with
 * that entity's alerts rather than every alert of the instance; the answer is matched here either
 * way.
 */
export async function readFiringAlerts(
  target: GrafanaTarget,
  upstream: UpstreamCaller,
  entityRef: string,
): Promise<DashEvent[]> {
  if (!target.alerts) return [];
  const filter = alertmanagerFilter(target.alerts);
  const { items } = await target.client.get(
    upstream,
    '/api/alertmanager/grafana/api/v2/alerts',
    [
      ['active', 'true'],
      ['silenced', 'false'],
      ['inhibited', 'false'],
      ...(filter ? [['filter', filter] as [string, string]] : []),
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
