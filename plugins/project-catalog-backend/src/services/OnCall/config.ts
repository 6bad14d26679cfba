import { Config } from '@backstage/config';
import { PagerDutyAccountSettings, httpUrl } from '../Discovery/config';

/** `projectCatalog.onCall`: where pages go and how a service's integration key is found. */
export interface OnCallSettings {
  /** PagerDuty's Events API v2 (`https://events.pagerduty.com`); `/v2/enqueue` is added. */
  eventsBaseUrl: string;
  /** The REST API account that finds a service's Events API v2 integration key. */
  account?: PagerDutyAccountSettings;
  /** The config key of the token in use, for messages. */
  tokenKey: string;
  /** Timeout of one upstream request. */
  timeoutMs: number;
  /** The app's address, for the event's link back (`app.baseUrl`). */
  appBaseUrl?: string;
}

const ROOT = 'projectCatalog.onCall';

/** `httpUrl` of the key's value. */
const urlAt = (config: Config, key: string) =>
  httpUrl(config.getOptionalString(key), key);

/**
 * Reads `projectCatalog.onCall.{eventsBaseUrl, timeoutMs, pagerduty.{apiBaseUrl, token}}`; the
 * account falls back to `dash.sources.pagerduty` (the DASH PagerDuty source's). Throws naming
 * the key on a value that is wrong.
 */
export function readOnCallSettings(config: Config): OnCallSettings {
  const timeoutMs = config.getOptionalNumber(`${ROOT}.timeoutMs`) ?? 10_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) {
    throw new Error(
      `Invalid config: ${ROOT}.timeoutMs must be from 100 to 60000, got ${timeoutMs}`,
    );
  }
  const ownKey = `${ROOT}.pagerduty`;
  const dashKey = 'dash.sources.pagerduty';
  const owned = config.has(`${ownKey}.token`);
  const from = owned ? ownKey : dashKey;
  const token = config.getOptionalString(`${from}.token`);
  const apiBaseUrl =
    urlAt(config, `${ownKey}.apiBaseUrl`) ??
    urlAt(config, `${dashKey}.apiBaseUrl`) ??
    'https://api.pagerduty.com';
  return {
    eventsBaseUrl:
      urlAt(config, `${ROOT}.eventsBaseUrl`) ?? 'https://events.pagerduty.com',
    account: token
      ? {
          token,
          apiBaseUrl,
          uiBaseUrl:
            urlAt(config, `${ownKey}.uiBaseUrl`) ??
            urlAt(config, `${dashKey}.uiBaseUrl`),
        }
      : undefined,
    tokenKey: `${ownKey}.token (or ${dashKey}.token)`,
    timeoutMs,
    appBaseUrl: config.getOptionalString('app.baseUrl'),
  };
}
