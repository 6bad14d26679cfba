import { Config } from '@backstage/config';
import {
  AllowList,
  parseBaseUrl,
  readAllowList,
  readPositiveInt,
} from '@dash-suite/plugin-dash-node';

/** DASH's own settings. */
export const CONFIG_ROOT = 'dash.sources.kubernetes';
/** Backstage's Kubernetes plugin configuration, read as it is. */
export const KUBERNETES_ROOT = 'kubernetes.clusterLocatorMethods';
export const DEFAULT_ENVIRONMENT = 'production';

/** A cluster from a `type: 'config'` cluster locator of Backstage's Kubernetes configuration. */
export interface KubernetesCluster {
  name: string;
  /** The API server, without a trailing slash. */
  url: string;
  /** The service account token. */
  token: string;
  skipTLSVerify: boolean;
  caData?: string;
  caFile?: string;
  /** `environment` of the rollouts seen in this cluster (`dash.sources.kubernetes.environments`). */
  environment: string;
  /** Where the cluster was configured, for messages. */
  key: string;
}

export interface KubernetesSettings {
  enabled: boolean;
  /** The clusters DASH reads, in configuration order. */
  clusters: KubernetesCluster[];
  /** Clusters that are configured but unusable, and why (naming the key to fix). */
  problems: string[];
  /** Namespaces entities may point DASH at; undefined trusts every annotation. */
  allowNamespaces?: AllowList;
  allowProblem?: string;
  /** Objects per list request (`limit`). */
  pageSize: number;
  /** Objects read per list before the rest is skipped with a warning. */
  maxObjects: number;
  /** Occurrences of one trouble closer than this are one range. */
  troubleGapMs: number;
  /** CrashLoopBackOff in at least this many pods of one workload is critical. */
  criticalPods: number;
}

const SUPPORTED_AUTH = 'serviceAccount';

function readCluster(
  config: Config,
  key: string,
  environments: Config | undefined,
): { cluster?: KubernetesCluster; problem?: string } {
  const name = config.getOptionalString('name')?.trim();
  if (!name) return { problem: `${key}.name is missing` };
  const where = `${key} (cluster '${name}')`;
  const base = parseBaseUrl(config.getOptionalString('url'), `${where}.url`);
  if (base.problem) return { problem: base.problem };
  if (!base.url) return { problem: `${where}.url is missing` };
  const auth = config.getOptionalString('authProvider') ?? SUPPORTED_AUTH;
  if (auth !== SUPPORTED_AUTH) {
    return {
      problem: `${where}.authProvider is '${auth}'; DASH reads clusters with a service account token only (authProvider: serviceAccount)`,
    };
  }
  const token = config.getOptionalString('serviceAccountToken')?.trim();
  if (!token) return { problem: `${where}.serviceAccountToken is missing` };
  return {
    cluster: {
      name,
      url: base.url,
      token,
      skipTLSVerify: config.getOptionalBoolean('skipTLSVerify') ?? false,
      caData: config.getOptionalString('caData') || undefined,
      caFile: config.getOptionalString('caFile') || undefined,
      environment:
        environments?.getOptionalString(name)?.trim() || DEFAULT_ENVIRONMENT,
      key: where,
    },
  };
}

/**
 * Reads the clusters of Backstage's `kubernetes.clusterLocatorMethods` (the `type: 'config'`
 * ones; the others locate clusters at run time and are not read) and DASH's own settings under
 * `dash.sources.kubernetes`. Never throws: unusable clusters are listed in `problems`.
 */
export function readKubernetesSettings(root: Config): KubernetesSettings {
  const config = root.getOptionalConfig(CONFIG_ROOT);
  const environments = config?.getOptionalConfig('environments');
  const only = config?.getOptionalStringArray('clusters');
  const problems: string[] = [];
  const clusters: KubernetesCluster[] = [];
  let methods: Config[] = [];
  try {
    methods = root.getOptionalConfigArray(KUBERNETES_ROOT) ?? [];
  } catch (e) {
    problems.push(`${KUBERNETES_ROOT} cannot be read: ${String(e)}`);
  }
  methods.forEach((method, m) => {
    if (method.getOptionalString('type') !== 'config') return;
    let list: Config[] = [];
    try {
      list = method.getOptionalConfigArray('clusters') ?? [];
    } catch (e) {
      problems.push(`${KUBERNETES_ROOT}[${m}].clusters: ${String(e)}`);
    }
    list.forEach((c, i) => {
      const key = `${KUBERNETES_ROOT}[${m}].clusters[${i}]`;
      try {
        const { cluster, problem } = readCluster(c, key, environments);
        if (problem) problems.push(problem);
        else if (cluster && (!only || only.includes(cluster.name)))
          clusters.push(cluster);
      } catch (e) {
        problems.push(`${key}: ${String(e)}`);
      }
    });
  });
  for (const name of only ?? []) {
    if (!clusters.some(c => c.name === name))
      problems.push(
        `${CONFIG_ROOT}.clusters names '${name}', which is not a usable cluster of ${KUBERNETES_ROOT}`,
      );
  }
  let allowNamespaces: AllowList | undefined;
  let allowProblem: string | undefined;
  try {
    allowNamespaces = readAllowList(
      config?.getOptionalConfig('allow'),
      'namespaces',
      `${CONFIG_ROOT}.allow.namespaces`,
    );
  } catch (e) {
    allowProblem = e instanceof Error ? e.message : String(e);
  }
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    clusters,
    problems,
    allowNamespaces,
    allowProblem,
    pageSize: readPositiveInt(config, 'pageSize', 100),
    maxObjects: readPositiveInt(config, 'maxObjects', 500),
    troubleGapMs:
      readPositiveInt(
        config?.getOptionalConfig('podTrouble'),
        'mergeGapMinutes',
        15,
      ) * 60_000,
    criticalPods: readPositiveInt(
      config?.getOptionalConfig('podTrouble'),
      'criticalPods',
      3,
    ),
  };
}
