import {
  AllowList,
  parseBaseUrl,
  readAllowList,
} from '@dash-suite/plugin-dash-node';
import { Config } from '@backstage/config';

/** The spike rule's settings; see the README for the rule itself. */
export interface SpikeRule {
  minCount: number;
  factor: number;
  baselineBuckets: number;
  criticalFactor: number;
}

export const DEFAULT_SPIKE_RULE: SpikeRule = {
  minCount: 10,
  factor: 3,
  baselineBuckets: 12,
  criticalFactor: 10,
};

export interface KibanaSourceSettings {
  /** Undefined when `elasticsearch.node` is not set. */
  elasticsearch?: {
    node: string;
    auth?: { apiKey: string } | { username: string; password: string };
    requestTimeoutMs: number;
    timestampField: string;
  };
  /** Undefined when `kibana.baseUrl` is not set: no rule alerts. */
  kibanaApi?: { baseUrl: string; apiKey?: string };
  /** Where deep links point; undefined when neither `kibana.uiBaseUrl` nor `kibana.baseUrl` is set. */
  uiBaseUrl?: string;
  /** `/s/<space>` or ''. */
  spacePrefix: string;
  ruleTag: string;
  spikes: SpikeRule;
  defaultLogQuery: string;
  /**
   * Patterns (`*` is a wildcard) that an entity's `kibana/index-pattern` must match, e.g.
   * `logs-*`; undefined: every index the Elasticsearch credentials reach.
   */
  allow?: AllowList;
}

/** The config key of the index patterns DASH may search. */
export const ALLOW_KEY = 'dash.sources.kibana.allow.indexPatterns';

const KEY = 'dash.sources.kibana';

function httpUrl(
  config: Config,
  section: string,
  key: string,
): string | undefined {
  const { url, problem } = parseBaseUrl(
    config.getOptionalString(key),
    `${KEY}.${section}.${key}`,
  );
  if (problem) throw new Error(`Invalid config: ${problem}`);
  return url;
}

function number(
  config: Config | undefined,
  key: string,
  fallback: number,
  min: number,
  max: number,
  integer = true,
  section = 'spikes',
): number {
  const value = config?.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new Error(
      `Invalid config: ${KEY}.${section}.${key} must be ${
        integer ? 'a whole number' : 'a number'
      } from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

/** Reads `dash.sources.kibana`; throws with the key's name on a bad value. */
export function readKibanaSourceSettings(root: Config): KibanaSourceSettings {
  const config = root.getOptionalConfig(KEY);
  const es = config?.getOptionalConfig('elasticsearch');
  const kb = config?.getOptionalConfig('kibana');

  let elasticsearch: KibanaSourceSettings['elasticsearch'];
  const node = es ? httpUrl(es, 'elasticsearch', 'node') : undefined;
  if (es && node) {
    const apiKey = es.getOptionalString('apiKey');
    const username = es.getOptionalString('username');
    const password = es.getOptionalString('password');
    if (apiKey && username) {
      throw new Error(
        `Invalid config: ${KEY}.elasticsearch takes either apiKey or username and password, not both`,
      );
    }
    if (Boolean(username) !== Boolean(password)) {
      throw new Error(
        `Invalid config: ${KEY}.elasticsearch.username and .password go together`,
      );
    }
    const timestampField =
      es.getOptionalString('timestampField') ?? '@timestamp';
    if (!/^[\w@.-]{1,200}$/.test(timestampField)) {
      throw new Error(
        `Invalid config: ${KEY}.elasticsearch.timestampField must be a field name, got '${timestampField}'`,
      );
    }
    let auth:
      | { apiKey: string }
      | { username: string; password: string }
      | undefined;
    if (apiKey) auth = { apiKey };
    else if (username && password) auth = { username, password };
    elasticsearch = {
      node,
      auth,
      requestTimeoutMs: number(
        es,
        'requestTimeoutMs',
        30_000,
        100,
        600_000,
        true,
        'elasticsearch',
      ),
      timestampField,
    };
  }

  const baseUrl = kb ? httpUrl(kb, 'kibana', 'baseUrl') : undefined;
  const uiBaseUrl =
    (kb ? httpUrl(kb, 'kibana', 'uiBaseUrl') : undefined) ?? baseUrl;
  const spaceId = kb?.getOptionalString('spaceId')?.trim();
  if (spaceId && !/^[a-z0-9_-]{1,100}$/.test(spaceId)) {
    throw new Error(
      `Invalid config: ${KEY}.kibana.spaceId must be a Kibana space id (a-z, 0-9, _ and -), got '${spaceId}'`,
    );
  }
  const ruleTag = kb?.getOptionalString('ruleTag') ?? 'service:{name}';
  if (!ruleTag.trim() || ruleTag.length > 200 || /["\\]/.test(ruleTag)) {
    throw new Error(
      `Invalid config: ${KEY}.kibana.ruleTag must be a tag without quotes or backslashes, got '${ruleTag}'`,
    );
  }
  const spikes = config?.getOptionalConfig('spikes');
  const defaultLogQuery =
    config?.getOptionalString('defaultLogQuery') ?? 'log.level:error';
  if (!defaultLogQuery.trim()) {
    throw new Error(`Invalid config: ${KEY}.defaultLogQuery must not be empty`);
  }
  return {
    elasticsearch,
    kibanaApi: baseUrl
      ? { baseUrl, apiKey: kb?.getOptionalString('apiKey') }
      : undefined,
    uiBaseUrl,
    spacePrefix: spaceId && spaceId !== 'default' ? `/s/${spaceId}` : '',
    ruleTag,
    spikes: {
      minCount: number(spikes, 'minCount', DEFAULT_SPIKE_RULE.minCount, 1, 1e9),
      factor: number(
        spikes,
        'factor',
        DEFAULT_SPIKE_RULE.factor,
        1,
        1e6,
        false,
      ),
      baselineBuckets: number(
        spikes,
        'baselineBuckets',
        DEFAULT_SPIKE_RULE.baselineBuckets,
        1,
        1000,
      ),
      criticalFactor: number(
        spikes,
        'criticalFactor',
        DEFAULT_SPIKE_RULE.criticalFactor,
        1,
        1e6,
        false,
      ),
    },
    defaultLogQuery,
    allow: readAllowList(
      config?.getOptionalConfig('allow'),
      'indexPatterns',
      ALLOW_KEY,
    ),
  };
}
