/**
 * Annotation names the DASH sources read. The PagerDuty and Grafana names are those of the
 * existing community plugins, so entities annotated for them work unchanged.
 */

/** PagerDuty service id, e.g. `PPAYAPI`. */
export const ANNOTATION_PAGERDUTY_SERVICE_ID = 'pagerduty.com/service-id';
/** Optional: which configured PagerDuty account the service lives in (`dash.sources.pagerduty.accounts` key). */
export const ANNOTATION_PAGERDUTY_ACCOUNT = 'pagerduty.com/account';
/** GitHub `owner/repo`. */
export const ANNOTATION_GITHUB_PROJECT_SLUG = 'github.com/project-slug';
/** Grafana dashboard selector, e.g. `tags @> 'payments-api'`. */
export const ANNOTATION_GRAFANA_DASHBOARD_SELECTOR =
  'grafana/dashboard-selector';
/** Grafana alert label selector, e.g. `service=payments-api`. */
export const ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR =
  'grafana/alert-label-selector';
/** Optional: which configured Grafana instance (`dash.sources.grafana.instances` key). */
export const ANNOTATION_GRAFANA_INSTANCE = 'grafana/instance';
/** Elasticsearch index pattern holding the service's logs, e.g. `logs-payments-*`. */
export const ANNOTATION_KIBANA_INDEX_PATTERN = 'kibana/index-pattern';
/** Lucene query string selecting the service's error logs. */
export const ANNOTATION_KIBANA_LOG_QUERY = 'kibana/log-query';
/** Kibana data view id used for Discover deep links. */
export const ANNOTATION_KIBANA_DATA_VIEW_ID = 'kibana/data-view-id';
/** Slack channel id(s) of the service, comma separated, e.g. `C0123ABCDEF` (ids, not names). */
export const ANNOTATION_SLACK_CHANNEL_ID = 'slack.com/channel-id';
/** The Kubernetes plugin's label value: the service's objects carry `backstage.io/kubernetes-id=<id>`. */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** The Kubernetes plugin's label selector of the service's objects; overrides the id. */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';

/** Every annotation that makes at least one DASH source apply to an entity. */
export const DASH_SOURCE_ANNOTATIONS = [
  ANNOTATION_PAGERDUTY_SERVICE_ID,
  ANNOTATION_GITHUB_PROJECT_SLUG,
  ANNOTATION_GRAFANA_DASHBOARD_SELECTOR,
  ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR,
  ANNOTATION_KIBANA_INDEX_PATTERN,
  ANNOTATION_SLACK_CHANNEL_ID,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
] as const;

/** True when the entity carries any annotation a DASH source reads. */
export function hasDashAnnotation(entity: {
  metadata: { annotations?: Record<string, string> };
}): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return DASH_SOURCE_ANNOTATIONS.some(a => Boolean(annotations[a]));
}
