import { Entity } from '@backstage/catalog-model';
import { JsonValue } from '@backstage/types';
import { DashEvent, DashSeverity } from '@dash-suite/plugin-dash-common';
import { dashEventId } from '@dash-suite/plugin-dash-node';
import { AlertEpisode, KibanaRule } from './alerts';
import { KibanaTarget } from './annotations';
import { discoverUrl, ruleUrl } from './discover';
import { Spike } from './spikes';

export const SOURCE_ID = 'kibana';

/** Where the events link to in Kibana's UI; no links without `uiBaseUrl`. */
export interface KibanaLinks {
  uiBaseUrl?: string;
  /** `/s/<space>` or ''. */
  spacePrefix: string;
}

const SEVERITIES = new Set<string>(['critical', 'error', 'warning', 'info']);

/** A rule tagged `severity:<critical|error|warning|info>` sets its alerts' severity; default error. */
export function ruleSeverity(rule: KibanaRule): DashSeverity {
  for (const tag of rule.tags ?? []) {
    const m = /^severity:(\w+)$/i.exec(tag);
    if (m && SEVERITIES.has(m[1].toLowerCase())) {
      return m[1].toLowerCase() as DashSeverity;
    }
  }
  return 'error';
}

/** `kind:namespace/name`, lower case. */
export function entityRefOf(entity: Entity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`.toLocaleLowerCase('en-US');
}

/** Discover on the target's error logs between `from` and `to`, when there is a UI to link to. */
export function discoverLink(
  links: KibanaLinks,
  target: KibanaTarget,
  from: Date,
  to: Date,
): string | undefined {
  if (!links.uiBaseUrl) return undefined;
  return discoverUrl({
    uiBaseUrl: links.uiBaseUrl,
    spacePrefix: links.spacePrefix,
    from,
    to,
    query: target.logQuery,
    dataViewId: target.dataViewId,
  });
}

/** A spike of error logs as a `log-spike` event, cut at `toMs`, linking to Discover. */
export function spikeEvent(
  links: KibanaLinks,
  entityRef: string,
  target: KibanaTarget,
  interval: string,
  spike: Spike,
  toMs: number,
): DashEvent {
  const start = new Date(spike.start);
  const end = new Date(Math.min(spike.end, toMs));
  const attributes: Record<string, JsonValue> = {
    peakCount: spike.peakCount,
    baseline: spike.baseline,
    ratio: spike.ratio,
    totalCount: spike.totalCount,
    buckets: spike.buckets,
    interval,
    indexPattern: target.indexPattern,
    query: target.logQuery,
  };
  if (target.dataViewId) attributes.dataViewId = target.dataViewId;
  return {
    id: dashEventId(
      SOURCE_ID,
      'log-spike',
      target.indexPattern,
      start.toISOString(),
    ),
    source: SOURCE_ID,
    kind: 'log-spike',
    title: `Error log spike: ${spike.peakCount} per ${interval} at peak, baseline ${spike.baseline} (×${spike.ratio})`,
    severity: spike.critical ? 'critical' : 'error',
    startTime: start.toISOString(),
    endTime: end.toISOString(),
    entityRef,
    status: spike.ongoing ? 'ongoing' : 'ended',
    url: discoverLink(links, target, start, end),
    attributes,
  };
}

/** One alert episode of a Kibana rule as an `alert` event, linking to the rule. */
export function alertEvent(
  links: KibanaLinks,
  entityRef: string,
  rule: KibanaRule,
  episode: AlertEpisode,
): DashEvent {
  return {
    id: dashEventId(SOURCE_ID, 'rule', rule.id, episode.start),
    source: SOURCE_ID,
    kind: 'alert',
    title: `Kibana rule "${rule.name}" ${
      episode.end ? 'alerted' : 'is alerting'
    }`,
    severity: ruleSeverity(rule),
    startTime: episode.start,
    endTime: episode.end,
    entityRef,
    status: episode.end ? 'recovered' : 'active',
    url: links.uiBaseUrl
      ? ruleUrl(links.uiBaseUrl, links.spacePrefix, rule.id)
      : undefined,
    attributes: {
      ruleId: rule.id,
      ruleName: rule.name,
      ruleType: rule.rule_type_id ?? null,
      tags: rule.tags ?? [],
      maxActiveAlerts: episode.maxActiveAlerts,
      newAlerts: episode.newAlerts,
      executions: episode.executions,
    },
  };
}
