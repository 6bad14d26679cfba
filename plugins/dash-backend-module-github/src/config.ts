import { Config } from '@backstage/config';
import { AllowList, readAllowList } from '@dash-suite/plugin-dash-node';

/** The config key of the repositories DASH may read. */
export const ALLOW_KEY = 'dash.sources.github.allow.repositories';

/** `dash.sources.github`, with defaults. */
export interface GithubSourceSettings {
  host: string;
  maxPages: number;
  pageSize: number;
  maxDeploymentStatusLookups: number;
  includePullRequestWorkflowRuns: boolean;
  clientRetries: number;
  /**
   * `owner/repo` patterns (`*` is a wildcard, case-insensitive as GitHub is) of the
   * repositories DASH may read; undefined: every repository the credentials reach.
   */
  allow?: AllowList;
}

export const DEFAULT_GITHUB_SETTINGS: GithubSourceSettings = {
  host: 'github.com',
  maxPages: 10,
  pageSize: 100,
  maxDeploymentStatusLookups: 100,
  includePullRequestWorkflowRuns: false,
  clientRetries: 0,
};

function count(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `Invalid config: dash.sources.github.${key} must be a whole number from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

/** Reads `dash.sources.github`; throws with the key's name on a bad value. */
export function readGithubSourceSettings(root: Config): GithubSourceSettings {
  const config = root.getOptionalConfig('dash.sources.github');
  if (!config) return { ...DEFAULT_GITHUB_SETTINGS };
  const host = config.getOptionalString('host')?.trim();
  if (host !== undefined && !/^[a-z0-9.-]+(:\d{1,5})?$/i.test(host)) {
    throw new Error(
      `Invalid config: dash.sources.github.host must be a host name such as github.com, got '${host}'`,
    );
  }
  return {
    host: host || DEFAULT_GITHUB_SETTINGS.host,
    maxPages: count(
      config,
      'maxPages',
      DEFAULT_GITHUB_SETTINGS.maxPages,
      1,
      100,
    ),
    pageSize: count(
      config,
      'pageSize',
      DEFAULT_GITHUB_SETTINGS.pageSize,
      1,
      100,
    ),
    maxDeploymentStatusLookups: count(
      config,
      'maxDeploymentStatusLookups',
      DEFAULT_GITHUB_SETTINGS.maxDeploymentStatusLookups,
      0,
      1000,
    ),
    includePullRequestWorkflowRuns:
      config.getOptionalBoolean('includePullRequestWorkflowRuns') ??
      DEFAULT_GITHUB_SETTINGS.includePullRequestWorkflowRuns,
    clientRetries: count(
      config,
      'clientRetries',
      DEFAULT_GITHUB_SETTINGS.clientRetries,
      0,
      5,
    ),
    allow: readAllowList(
      config.getOptionalConfig('allow'),
      'repositories',
      ALLOW_KEY,
      { caseInsensitive: true },
    ),
  };
}
