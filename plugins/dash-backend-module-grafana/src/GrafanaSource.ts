import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR,
  ANNOTATION_GRAFANA_DASHBOARD_SELECTOR,
  ANNOTATION_GRAFANA_INSTANCE,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import {
  DeepLink,
  FetchEventsRequest,
  FetchEventsResult,
  SignalSource,
  SourceContext,
  UpstreamError,
  warnWithoutAllowList,
} from '@dash-suite/plugin-dash-node';
import { labelsAccessProblem, selectorAccessProblem } from './access';
import { AlertRuleLists, readFiringAlerts } from './alertRules';
import {
  CONFIG_ROOT,
  DEFAULT_INSTANCE,
  GrafanaSettings,
  readGrafanaSettings,
} from './config';
import { DashboardFinder } from './dashboards';
import { grafanaDeepLinks } from './deepLinks';
import { GrafanaClient } from './GrafanaClient';
import { SOURCE_ID } from './normalize';
import { readTimeline } from './readTimeline';
import {
  SelectorError,
  parseAlertLabelSelector,
  parseDashboardSelector,
} from './selector';
import { GrafanaTarget as Target } from './target';

const INSTANCE_KEY = /^[\w-]{1,64}$/;

/**
 * Grafana as a DASH source: annotations on the service's dashboards and those tagged for it,
 * the state history of its Grafana-managed alert rules as alert episodes, the alerts firing
 * now, and links to its dashboards.
 */
export class GrafanaSource implements SignalSource {
  readonly id = SOURCE_ID;
  readonly title = 'Grafana';
  private readonly clients = new Map<string, GrafanaClient>();
  private readonly dashboards = new DashboardFinder();
  private readonly ruleLists: AlertRuleLists;

  static fromConfig(config: Config, logger: LoggerService): GrafanaSource {
    return new GrafanaSource(readGrafanaSettings(config), logger);
  }

  constructor(
    private readonly settings: GrafanaSettings,
    logger: LoggerService,
  ) {
    for (const [key, instance] of settings.instances) {
      this.clients.set(key, new GrafanaClient(instance));
    }
    this.ruleLists = new AlertRuleLists(settings.alertRuleListMs);
    for (const [key, problem] of settings.problems) {
      logger.warn(`Grafana instance '${key}' is not usable: ${problem}`);
    }
    const instances = [...settings.instances.values()];
    const missing = new Set([
      ...instances.filter(i => !i.allow.tags).map(i => i.allow.tagsKey),
      ...instances
        .filter(i => !i.allow.alertLabels)
        .map(i => i.allow.alertLabelsKey),
    ]);
    if (missing.size) {
      warnWithoutAllowList(
        logger,
        'Grafana',
        `${ANNOTATION_GRAFANA_DASHBOARD_SELECTOR} or ${ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR}`,
        [...missing].join(' and '),
      );
    }
  }

  appliesTo(entity: Entity): boolean {
    const a = entity.metadata.annotations ?? {};
    return Boolean(
      a[ANNOTATION_GRAFANA_DASHBOARD_SELECTOR]?.trim() ||
        a[ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR]?.trim(),
    );
  }

  configurationProblem(entity: Entity): string | undefined {
    return this.resolve(entity).problem;
  }

  /** `not-allowed` for selectors that reach outside the instance's `allow` lists. */
  accessProblem(entity: Entity): string | undefined {
    const { target } = this.resolve(entity);
    if (!target) return undefined;
    const { allow } = target.client.instance;
    return (
      (target.dashboards && allow.tags
        ? selectorAccessProblem(target.dashboards, allow.tags, allow.tagsKey)
        : undefined) ??
      (target.alerts && allow.alertLabels
        ? labelsAccessProblem(
            target.alerts,
            allow.alertLabels,
            allow.alertLabelsKey,
          )
        : undefined)
    );
  }

  private resolve(entity: Entity): { target?: Target; problem?: string } {
    const a = entity.metadata.annotations ?? {};
    const target: Partial<Target> = {};
    const selectorText = a[ANNOTATION_GRAFANA_DASHBOARD_SELECTOR]?.trim();
    if (selectorText) {
      try {
        target.dashboards = parseDashboardSelector(selectorText);
        target.selectorText = selectorText;
      } catch (e) {
        return {
          problem: `The ${ANNOTATION_GRAFANA_DASHBOARD_SELECTOR} annotation cannot be read: ${
            e instanceof SelectorError ? e.message : String(e)
          }`,
        };
      }
    }
    const labelText = a[ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR]?.trim();
    if (labelText) {
      try {
        target.alerts = parseAlertLabelSelector(labelText);
      } catch (e) {
        return {
          problem: `The ${ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR} annotation cannot be read: ${
            e instanceof SelectorError ? e.message : String(e)
          } (expected label=value, several separated by commas)`,
        };
      }
    }
    const key = a[ANNOTATION_GRAFANA_INSTANCE]?.trim() || DEFAULT_INSTANCE;
    if (!INSTANCE_KEY.test(key)) {
      return {
        problem: `The ${ANNOTATION_GRAFANA_INSTANCE} annotation '${key.slice(
          0,
          80,
        )}' is not an instance key (letters, digits, _ and -)`,
      };
    }
    const client = this.clients.get(key);
    if (!client) {
      const problem = this.settings.problems.get(key);
      if (problem) return { problem: `Grafana is not configured: ${problem}` };
      return {
        problem:
          key === DEFAULT_INSTANCE
            ? `Grafana is not configured: ${CONFIG_ROOT}.baseUrl and ${CONFIG_ROOT}.token are missing`
            : `Grafana is not configured: there is no instance '${key}' under ${CONFIG_ROOT}.instances`,
      };
    }
    return { target: { ...target, client } };
  }

  private target(entity: Entity): Target {
    const { target, problem } = this.resolve(entity);
    if (!target) throw new UpstreamError('not-configured', problem!);
    const denied = this.accessProblem(entity);
    if (denied) throw new UpstreamError('not-allowed', denied);
    return target;
  }

  async fetchEvents(
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<FetchEventsResult> {
    const target = this.target(request.entity);
    const { upstream, logger } = context;
    const read = { target, settings: this.settings, upstream, logger };
    return readTimeline(read, this.dashboards, this.ruleLists, request);
  }

  async getFiringAlerts(
    entity: Entity,
    context: SourceContext,
  ): Promise<DashEvent[]> {
    return readFiringAlerts(
      this.target(entity),
      context.upstream,
      stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    );
  }

  getDeepLinks(entity: Entity, window: { from: Date; to: Date }): DeepLink[] {
    const { target } = this.resolve(entity);
    if (!target || this.accessProblem(entity)) return [];
    return grafanaDeepLinks(target, this.dashboards.remembered(target), window);
  }
}
