import { DashActor } from '@dash-suite/plugin-dash-common';
import { safeLink } from '@dash-suite/plugin-dash-node';
import { Reference } from '../schemas';

export const SOURCE_ID = 'pagerduty';

export function iso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Links built from the configured UI base URL when the API gave none. */
export function uiLink(uiBaseUrl: string | undefined, path: string) {
  return uiBaseUrl ? safeLink(`${uiBaseUrl}/${path}`) : undefined;
}

export function actorOf(
  ref: Reference | null | undefined,
): DashActor | undefined {
  if (!ref?.summary) return undefined;
  const actor: DashActor = { name: ref.summary };
  const url = safeLink(ref.html_url);
  if (url) actor.url = url;
  return actor;
}
