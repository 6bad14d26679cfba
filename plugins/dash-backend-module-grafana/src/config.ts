import {
  AllowList,
  parseBaseUrl,
  readAllowList,
  readPositiveInt,
} from '@dash-suite/plugin-dash-node';
import { Config } from '@backstage/config';

export const CONFIG_ROOT = 'dash.sources.grafana';
/** The instance of the top-level `baseUrl`/`token`, used without a `grafana/instance` annotation. */
export const DEFAULT_INSTANCE = 'default';

export interface GrafanaInstance {
  key: string;
  /** Without a trailing slash. */
  baseUrl: string;
  token: string;
  /** Without a trailing slash; `baseUrl` when not configured. */
  uiBaseUrl: string;
  allow: GrafanaAllowLists;
}

/**
 * What entities may point DASH at; an absent list trusts every annotation. `tags`: the tags a
 * `grafana/dashboard-selector` may ask for (every dashboard it matches must carry one);
 * `alertLabels`: `label=value` patterns a `grafana/alert-label-selector` may use. `*` is a
 * wildcard. The keys name where each list was read, for messages.
 */
export interface GrafanaAllowLists {
  tags?: AllowList;
  tagsKey: string;
  alertLabels?: AllowList;
  alertLabelsKey: string;
}

/** Reads `<prefix>.allow`, each list falling back to `inherited`'s. */
function readAllowLists(
  config: Config | undefined,
  prefix: string,
  inherited?: GrafanaAllowLists,
): { allow?: GrafanaAllowLists; problem?: string } {
  try {
    const section = config?.getOptionalConfig('allow');
    const tags = readAllowList(section, 'tags', `${prefix}.allow.tags`);
    const alertLabels = readAllowList(
      section,
      'alertLabels',
      `${prefix}.allow.alertLabels`,
    );
    return {
      allow: {
        tags: tags ?? inherited?.tags,
        tagsKey:
          tags || !inherited ? `${prefix}.allow.tags` : inherited.tagsKey,
        alertLabels: alertLabels ?? inherited?.alertLabels,
        alertLabelsKey:
          alertLabels || !inherited
            ? `${prefix}.allow.alertLabels`
            : inherited.alertLabelsKey,
      },
    };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
}

/** Seconds, 0 or more, from config; the fallback when absent or not such a number. */
function readSeconds(
  config: Config | undefined,
  key: string,
  fallback: number,
): number {
  const value = config?.getOptionalNumber(key);
  return value !== undefined && Number.isFinite(value) && value >= 0
    ? value
    : fallback;
}

export interface GrafanaSettings {
  instances: Map<string, GrafanaInstance>;
  /** Instances named in config that are unusable, and why (naming the key). */
  problems: Map<string, string>;
  maxDashboards: number;
  maxAlertRules: number;
  /** How long one read of an instance's alert rule list serves every entity's fetch. */
  alertRuleListMs: number;
  annotationPageSize: number;
  maxPages: number;
}

function readInstance(
  key: string,
  config: Config | undefined,
  prefix: string,
  inherited?: { allow?: GrafanaAllowLists; problem?: string },
): { instance?: GrafanaInstance; problem?: string } {
  const base = parseBaseUrl(
    config?.getOptionalString('baseUrl'),
    `${prefix}.baseUrl`,
  );
  if (base.problem) return { problem: base.problem };
  if (!base.url) return { problem: `${prefix}.baseUrl is missing` };
  const token = config?.getOptionalString('token');
  if (!token) return { problem: `${prefix}.token is missing` };
  const ui = parseBaseUrl(
    config?.getOptionalString('uiBaseUrl'),
    `${prefix}.uiBaseUrl`,
  );
  if (ui.problem) return { problem: ui.problem };
  // A malformed top-level list must not leave the instances that use it open.
  if (inherited?.problem) return { problem: inherited.problem };
  const { allow, problem } = readAllowLists(config, prefix, inherited?.allow);
  if (!allow) return { problem };
  return {
    instance: {
      key,
      baseUrl: base.url,
      token,
      uiBaseUrl: ui.url ?? base.url,
      allow,
    },
  };
}

/**
 * Reads `dash.sources.grafana`. Never throws: an unusable instance is recorded in `problems`, and
 * the entities that use it report `not-configured` with the key to fix.
 */
export function readGrafanaSettings(root: Config): GrafanaSettings {
  const config = root.getOptionalConfig(CONFIG_ROOT);
  const instances = new Map<string, GrafanaInstance>();
  const problems = new Map<string, string>();

  if (config?.has('baseUrl') || config?.has('token')) {
    const top = readInstance(DEFAULT_INSTANCE, config, CONFIG_ROOT);
    if (top.instance) instances.set(DEFAULT_INSTANCE, top.instance);
    else if (top.problem) problems.set(DEFAULT_INSTANCE, top.problem);
  }
  // Instances without their own lists use the top-level ones.
  const topAllow = readAllowLists(config, CONFIG_ROOT);
  const instancesConfig = config?.getOptionalConfig('instances');
  for (const key of instancesConfig?.keys() ?? []) {
    const prefix = `${CONFIG_ROOT}.instances.${key}`;
    if (!/^[\w-]+$/.test(key)) {
      problems.set(
        key,
        `${prefix}: instance keys are letters, digits, _ and -`,
      );
      continue;
    }
    if (key === DEFAULT_INSTANCE && instances.has(DEFAULT_INSTANCE)) {
      problems.set(
        key,
        `${prefix} and ${CONFIG_ROOT}.baseUrl both define the instance '${DEFAULT_INSTANCE}'; keep one`,
      );
      instances.delete(DEFAULT_INSTANCE);
      continue;
    }
    const result = readInstance(
      key,
      instancesConfig!.getOptionalConfig(key),
      prefix,
      topAllow,
    );
    if (result.instance) instances.set(key, result.instance);
    else if (result.problem) problems.set(key, result.problem);
  }
  return {
    instances,
    problems,
    maxDashboards: readPositiveInt(config, 'maxDashboards', 10),
    maxAlertRules: readPositiveInt(config, 'maxAlertRules', 20),
    alertRuleListMs: readSeconds(config, 'alertRuleListSeconds', 60) * 1000,
    annotationPageSize: readPositiveInt(config, 'annotationPageSize', 200),
    maxPages: readPositiveInt(config, 'maxPages', 5),
  };
}
