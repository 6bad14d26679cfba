import {
  AllowList,
  parseBaseUrl,
  readAllowList,
  readPositiveInt,
} from '@dash-suite/plugin-dash-node';
import { Config } from '@backstage/config';

/** Where the PagerDuty settings live in app-config. */
export const CONFIG_ROOT = 'dash.sources.pagerduty';
/** The account used by entities without a `pagerduty.com/account` annotation. */
export const DEFAULT_ACCOUNT = 'default';
export const DEFAULT_API_BASE_URL = 'https://api.pagerduty.com';

export interface PagerDutyAccount {
  name: string;
  /** Without a trailing slash. */
  apiBaseUrl: string;
  token: string;
  tokenType: 'token' | 'bearer';
  /** Without a trailing slash; undefined when not configured. */
  uiBaseUrl?: string;
  /**
   * Service ids (`*` is a wildcard, case-insensitive) that entities may name with
   * `pagerduty.com/service-id`; undefined: every service the token reaches.
   */
  allow?: AllowList;
  /** The config key of `allow`, for messages. */
  allowKey: string;
}

export interface PagerDutySettings {
  /** Usable accounts by name. */
  accounts: Map<string, PagerDutyAccount>;
  /** Accounts that are named in config but unusable, and why (names the config key). */
  problems: Map<string, string>;
  /** pdjs `retryTimeout`: its own wait before retrying a 429. */
  retryTimeoutMs: number;
  maxPages: number;
  pageSize: number;
  maxLogEntryIncidents: number;
}

function tokenType(config: Config | undefined): 'token' | 'bearer' {
  return config?.getOptionalString('tokenType') === 'bearer'
    ? 'bearer'
    : 'token';
}

/** Where an account's allow-list lives, under the account's key. */
export const ALLOW_SUFFIX = 'allow.services';

function readAllowListOf(
  config: Config | undefined,
  prefix: string,
): { allow?: AllowList; problem?: string } {
  try {
    return {
      allow: readAllowList(
        config?.getOptionalConfig('allow'),
        'services',
        `${prefix}.${ALLOW_SUFFIX}`,
        { caseInsensitive: true },
      ),
    };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
}

function readAccount(
  name: string,
  config: Config | undefined,
  prefix: string,
  inherited: { apiBaseUrl?: string; allow?: AllowList; allowProblem?: string },
): { account?: PagerDutyAccount; problem?: string } {
  const token = config?.getOptionalString('token');
  if (!token) {
    return { problem: `${prefix}.token is missing` };
  }
  const api = parseBaseUrl(
    config?.getOptionalString('apiBaseUrl'),
    `${prefix}.apiBaseUrl`,
  );
  if (api.problem) return { problem: api.problem };
  const ui = parseBaseUrl(
    config?.getOptionalString('uiBaseUrl'),
    `${prefix}.uiBaseUrl`,
  );
  if (ui.problem) return { problem: ui.problem };
  const own = readAllowListOf(config, prefix);
  if (own.problem) return { problem: own.problem };
  // A broken top-level list must not leave the accounts that use it open.
  if (!own.allow && inherited.allowProblem) {
    return { problem: inherited.allowProblem };
  }
  const inherits = !own.allow && inherited.allow;
  return {
    account: {
      name,
      apiBaseUrl: api.url ?? inherited.apiBaseUrl ?? DEFAULT_API_BASE_URL,
      token,
      tokenType: tokenType(config),
      uiBaseUrl: ui.url,
      allow: own.allow ?? inherited.allow,
      allowKey: inherits
        ? `${CONFIG_ROOT}.${ALLOW_SUFFIX}`
        : `${prefix}.${ALLOW_SUFFIX}`,
    },
  };
}

/**
 * Reads `dash.sources.pagerduty`. Never throws on a missing or bad value: an unusable account is
 * recorded in `problems` and the source reports it as `not-configured` for the entities that use
 * it, so a bad config degrades one source instead of stopping the backend.
 */
export function readPagerDutySettings(root: Config): PagerDutySettings {
  const config = root.getOptionalConfig(CONFIG_ROOT);
  const accounts = new Map<string, PagerDutyAccount>();
  const problems = new Map<string, string>();

  const top = readAccount(DEFAULT_ACCOUNT, config, CONFIG_ROOT, {});
  if (top.account) accounts.set(DEFAULT_ACCOUNT, top.account);
  else if (top.problem) problems.set(DEFAULT_ACCOUNT, top.problem);
  const inheritedApi = parseBaseUrl(
    config?.getOptionalString('apiBaseUrl'),
    CONFIG_ROOT,
  ).url;
  // Named accounts without their own allow-list use the top-level one.
  const inheritedAllow = readAllowListOf(config, CONFIG_ROOT);

  const accountsConfig = config?.getOptionalConfig('accounts');
  for (const name of accountsConfig?.keys() ?? []) {
    const prefix = `${CONFIG_ROOT}.accounts.${name}`;
    if (!/^[\w-]+$/.test(name)) {
      problems.set(
        name,
        `${prefix}: account names are letters, digits, _ and -`,
      );
      continue;
    }
    const result = readAccount(
      name,
      accountsConfig!.getOptionalConfig(name),
      prefix,
      {
        apiBaseUrl: inheritedApi,
        allow: inheritedAllow.allow,
        allowProblem: inheritedAllow.problem,
      },
    );
    if (result.account) accounts.set(name, result.account);
    else if (result.problem) problems.set(name, result.problem);
  }

  // The guard's per-attempt timeout (read by the DASH backend): pdjs's own 429 retries (three of
  // them, `retryTimeout` apart) must end well before it, so that the guard sees the 429 instead
  // of timing out.
  const guardTimeoutMs =
    root.getOptionalNumber(`${CONFIG_ROOT}.guard.timeoutMs`) ??
    root.getOptionalNumber('dash.guard.timeoutMs') ??
    10_000;
  const cap = Math.max(1, Math.floor(guardTimeoutMs / 4));
  const configuredRetry = config?.getOptionalNumber('retryTimeoutMs');
  const retryTimeoutMs = Math.min(
    cap,
    configuredRetry !== undefined && configuredRetry >= 0
      ? configuredRetry
      : Math.min(1000, Math.max(10, Math.floor(guardTimeoutMs / 10))),
  );

  return {
    accounts,
    problems,
    retryTimeoutMs,
    maxPages: readPositiveInt(config, 'maxPages', 10),
    pageSize: 100,
    maxLogEntryIncidents: readPositiveInt(config, 'maxLogEntryIncidents', 50),
  };
}
