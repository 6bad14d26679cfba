/**
 * DASH source module for Grafana: annotations, Grafana-managed alerts and their state changes,
 * firing alerts and dashboard deep links.
 *
 * @packageDocumentation
 */
export { dashModuleGrafana as default } from './module';
export { GrafanaSource } from './GrafanaSource';
export { readGrafanaSettings } from './config';
export type { GrafanaSettings, GrafanaInstance } from './config';
export {
  parseDashboardSelector,
  parseAlertLabelSelector,
  matchesSelector,
  matchesLabels,
} from './selector';
