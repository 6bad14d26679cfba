import { LoggerService } from '@backstage/backend-plugin-api';
import { UpstreamCaller } from '@dash-suite/plugin-dash-node';
import { GrafanaSettings } from './config';
import { GrafanaClient } from './GrafanaClient';
import { LabelMatcher, SelectorNode } from './selector';

/** Calls in flight at once within one fetch (the guard bounds them too). */
export const PARALLEL = 4;

/** What an entity's annotations select in one Grafana instance. */
export interface GrafanaTarget {
  client: GrafanaClient;
  /** The dashboard selector as written, the key of the remembered dashboards. */
  selectorText?: string;
  dashboards?: SelectorNode;
  alerts?: LabelMatcher[];
}

/** One read of Grafana for one entity: what it selects, the settings and the guard. */
export interface GrafanaRead {
  target: GrafanaTarget;
  settings: GrafanaSettings;
  upstream: UpstreamCaller;
  logger: LoggerService;
}
