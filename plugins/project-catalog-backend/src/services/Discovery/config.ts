import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';

/** A GitHub organisation to scan, on a host of `integrations.github`. */
export interface DiscoveryOrganization {
  host: string;
  org: string;
}

export interface PagerDutyAccountSettings {
  apiBaseUrl: string;
  token: string;
  /** PagerDuty's web address of a service, when known (`https://acme.pagerduty.com`). */
  uiBaseUrl?: string;
}

/** `projectCatalog.discovery`, with defaults, and the problems found in it. */
export interface DiscoverySettings {
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Timeout of one upstream request. */
  timeoutMs: number;
  github: {
    organizations: DiscoveryOrganization[];
    /** Where the list came from, for the status message. */
    from: 'config' | 'apps' | 'none';
    /** A value in config that is wrong (GitHub discovery reports it as not-configured). */
    problem?: string;
  };
  pagerduty: { account?: PagerDutyAccountSettings; problem?: string };
}

const ROOT = 'projectCatalog.discovery';
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 6 },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 2 },
};
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_PAGERDUTY_API = 'https://api.pagerduty.com';

/** An http(s) URL from config without trailing slashes; throws naming the key otherwise. */
export function httpUrl(
  value: string | undefined,
  key: string,
): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `Invalid config: ${key} must be an http(s) URL, got '${value}'`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `Invalid config: ${key} must be an http(s) URL, got '${value}'`,
    );
  }
  return value.replace(/\/+$/, '');
}

/** `acme` (on github.com) or `ghe.example.com/platform`. */
function parseOrganization(entry: string, key: string): DiscoveryOrganization {
  const match =
    /^(?:([a-z0-9.-]+(?::\d{1,5})?)\/)?([a-z0-9](?:[a-z0-9-]{0,38}))$/i.exec(
      entry.trim(),
    );
  if (!match) {
    throw new Error(
      `Invalid config: ${key} entries are organisation names such as acme or ghe.example.com/acme, got '${entry}'`,
    );
  }
  return { host: match[1] ?? 'github.com', org: match[2] };
}

/**
 * The organisations to scan: `projectCatalog.discovery.github.organizations` when set (an empty
 * list turns GitHub discovery off); otherwise every `allowedInstallationOwners` of the GitHub
 * Apps in `integrations.github` (the organisations the company installed its App in); otherwise
 * none, and the GitHub scan reports `not-configured`.
 */
function readOrganizations(config: Config): DiscoverySettings['github'] {
  const key = `${ROOT}.github.organizations`;
  const listed = config.getOptionalStringArray(key);
  if (listed) {
    return {
      organizations: listed.map(e => parseOrganization(e, key)),
      from: 'config',
    };
  }
  const organizations: DiscoveryOrganization[] = [];
  for (const integration of ScmIntegrations.fromConfig(config).github.list()) {
    for (const app of integration.config.apps ?? []) {
      for (const owner of app.allowedInstallationOwners ?? []) {
        if (
          !organizations.some(
            o => o.host === integration.config.host && o.org === owner,
          )
        ) {
          organizations.push({ host: integration.config.host, org: owner });
        }
      }
    }
  }
  return { organizations, from: organizations.length ? 'apps' : 'none' };
}

/**
 * PagerDuty: `projectCatalog.discovery.pagerduty.{apiBaseUrl, token}`, each falling back to
 * `dash.sources.pagerduty.{apiBaseUrl, token}` (the DASH PagerDuty source's account), the API
 * defaulting to https://api.pagerduty.com. `pagerduty.enabled: false` turns it off.
 */
function readPagerDuty(config: Config): DiscoverySettings['pagerduty'] {
  const own = config.getOptionalConfig(`${ROOT}.pagerduty`);
  const dash = config.getOptionalConfig('dash.sources.pagerduty');
  if (own?.getOptionalBoolean('enabled') === false) {
    return {
      problem: `PagerDuty discovery is off (${ROOT}.pagerduty.enabled)`,
    };
  }
  const token =
    own?.getOptionalString('token') ?? dash?.getOptionalString('token');
  if (!token) {
    return {
      problem: `No PagerDuty API key: set ${ROOT}.pagerduty.token (or dash.sources.pagerduty.token)`,
    };
  }
  const apiKey = own?.has('apiBaseUrl')
    ? `${ROOT}.pagerduty.apiBaseUrl`
    : 'dash.sources.pagerduty.apiBaseUrl';
  const uiBaseUrl =
    own?.getOptionalString('uiBaseUrl') ?? dash?.getOptionalString('uiBaseUrl');
  return {
    account: {
      token,
      apiBaseUrl:
        httpUrl(
          own?.getOptionalString('apiBaseUrl') ??
            dash?.getOptionalString('apiBaseUrl'),
          apiKey,
        ) ?? DEFAULT_PAGERDUTY_API,
      uiBaseUrl: httpUrl(uiBaseUrl, `${ROOT}.pagerduty.uiBaseUrl`),
    },
  };
}

/** Reads `projectCatalog.discovery`; throws naming the key on a value that is wrong. */
export function readDiscoverySettings(config: Config): DiscoverySettings {
  const root = config.getOptionalConfig(ROOT);
  const timeoutMs = root?.getOptionalNumber('timeoutMs') ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 100 || timeoutMs > 300_000) {
    throw new Error(
      `Invalid config: ${ROOT}.timeoutMs must be from 100 to 300000, got ${timeoutMs}`,
    );
  }
  // A wrong value degrades that upstream's discovery only.
  let pagerduty: DiscoverySettings['pagerduty'];
  try {
    pagerduty = readPagerDuty(config);
  } catch (error) {
    pagerduty = { problem: (error as Error).message };
  }
  let github: DiscoverySettings['github'];
  try {
    github = readOrganizations(config);
  } catch (error) {
    github = {
      organizations: [],
      from: 'none',
      problem: (error as Error).message,
    };
  }
  return {
    enabled: root?.getOptionalBoolean('enabled') ?? true,
    schedule: root?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          root.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
    timeoutMs,
    github,
    pagerduty,
  };
}
