import { Config } from '@backstage/config';
import {
  AllowList,
  parseBaseUrl,
  readAllowList,
  readPositiveInt,
} from '@dash-suite/plugin-dash-node';

export const CONFIG_ROOT = 'dash.sources.slack';
export const DEFAULT_BASE_URL = 'https://slack.com/api';
export const DEFAULT_REACTIONS = ['pushpin', 'rotating_light'];
/** The placeholder of `incidentChannels.namePattern` that stands for the incident number. */
export const NUMBER_PLACEHOLDER = '{number}';

export interface SlackSettings {
  /** Undefined when the source is not usable; `problem` says why. */
  token?: string;
  problem?: string;
  /** Slack Web API base, without a trailing slash (`https://slack.com/api`). */
  baseUrl: string;
  /** Where users open Slack (`https://acme.slack.com`), for permalinks without a call. */
  workspaceUrl?: string;
  /** Reaction names (without colons) that put a message on the timeline. */
  reactions: Set<string>;
  /** History messages read per channel and fetch (newest first); older ones are skipped. */
  maxMessagesPerChannel: number;
  /** `limit` of one `conversations.history` / `conversations.list` request. */
  pageSize: number;
  /** Channels read per fetch (annotation first, then incident channels). */
  maxChannels: number;
  /** Users looked up with `users.info` per fetch (the rest keep their id until the next one). */
  maxUserLookups: number;
  /** `chat.getPermalink` calls per fetch when `workspaceUrl` is not set. */
  maxPermalinkLookups: number;
  incidentChannels: {
    /** Read the channels that PagerDuty incidents of the entity link to. */
    fromPagerDuty: boolean;
    /** e.g. `inc-{number}-*`: also find incident channels by name. */
    namePattern?: string;
    /** Pages of `conversations.list` per listing. */
    maxListPages: number;
    /** How long a channel listing is reused (ms). */
    listTtlMs: number;
    /** Incidents that began this long before the window still have their channel read (ms). */
    lookbackMs: number;
  };
  /** Channels (ids; for incident channels also names) DASH may read; undefined trusts every one. */
  allowedChannels?: AllowList;
}

function readStrings(config: Config | undefined, key: string, def: string[]) {
  if (!config?.has(key)) return def;
  return config
    .getStringArray(key)
    .map(v => v.trim().replace(/^:|:$/g, ''))
    .filter(Boolean);
}

/**
 * Reads `dash.sources.slack`. Never throws for a missing or bad value: the source then reports
 * `not-configured` with the key to fix.
 */
export function readSlackSettings(root: Config): SlackSettings {
  const config = root.getOptionalConfig(CONFIG_ROOT);
  const incident = config?.getOptionalConfig('incidentChannels');
  const settings: SlackSettings = {
    baseUrl: DEFAULT_BASE_URL,
    reactions: new Set(DEFAULT_REACTIONS),
    maxMessagesPerChannel: readPositiveInt(
      config,
      'maxMessagesPerChannel',
      200,
    ),
    pageSize: Math.min(readPositiveInt(config, 'pageSize', 100), 999),
    maxChannels: readPositiveInt(config, 'maxChannels', 10),
    maxUserLookups: readPositiveInt(config, 'maxUserLookups', 50),
    maxPermalinkLookups: readPositiveInt(config, 'maxPermalinkLookups', 50),
    incidentChannels: {
      fromPagerDuty: incident?.getOptionalBoolean('fromPagerDuty') ?? true,
      maxListPages: readPositiveInt(incident, 'maxListPages', 10),
      listTtlMs: readPositiveInt(incident, 'listTtlMinutes', 15) * 60_000,
      lookbackMs: readPositiveInt(incident, 'lookbackHours', 48) * 3_600_000,
    },
  };
  const fail = (problem: string) => ({ ...settings, problem });
  try {
    settings.reactions = new Set(
      readStrings(config, 'reactions', DEFAULT_REACTIONS),
    );
    const pattern = incident?.getOptionalString('namePattern')?.trim();
    if (pattern) {
      if (!pattern.includes(NUMBER_PLACEHOLDER)) {
        return fail(
          `${CONFIG_ROOT}.incidentChannels.namePattern must contain ${NUMBER_PLACEHOLDER}, e.g. inc-${NUMBER_PLACEHOLDER}-*`,
        );
      }
      settings.incidentChannels.namePattern = pattern;
    }
    settings.allowedChannels = readAllowList(
      config,
      'allowedChannels',
      `${CONFIG_ROOT}.allowedChannels`,
    );
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  const base = parseBaseUrl(
    config?.getOptionalString('baseUrl'),
    `${CONFIG_ROOT}.baseUrl`,
  );
  if (base.problem) return fail(base.problem);
  if (base.url) settings.baseUrl = base.url;
  const workspace = parseBaseUrl(
    config?.getOptionalString('workspaceUrl'),
    `${CONFIG_ROOT}.workspaceUrl`,
  );
  if (workspace.problem) return fail(workspace.problem);
  settings.workspaceUrl = workspace.url;
  const token = config?.getOptionalString('token')?.trim();
  if (!token) return fail(`${CONFIG_ROOT}.token is missing`);
  settings.token = token;
  return settings;
}
