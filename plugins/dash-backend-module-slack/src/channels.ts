import { NUMBER_PLACEHOLDER } from './config';

/** A Slack channel id: C (public), G (private, legacy) or D (direct), then upper-case letters and digits. */
export const CHANNEL_ID = /^[CG][A-Z0-9]{6,20}$/;

/** A channel DASH reads for an entity, and why. */
export interface ChannelRef {
  id: string;
  /** Known for incident channels found by name or listed. */
  name?: string;
  /** `annotation` or `incident` (with the PagerDuty incident number when known). */
  via: 'annotation' | 'incident';
  incidentNumber?: number;
  /** When its incident began (ms): a channel read for the first time is read from then on. */
  since?: number;
}

/** The ids of the annotation value (comma separated); undefined values are reported by the caller. */
export function parseChannelIds(value: string): {
  ids: string[];
  bad: string[];
} {
  const parts = value
    .split(',')
    .map(p => p.trim())
    .filter(Boolean);
  return {
    ids: [...new Set(parts.filter(p => CHANNEL_ID.test(p)))],
    bad: parts.filter(p => !CHANNEL_ID.test(p)),
  };
}

/**
 * The channel id of a Slack link: `https://<workspace>.slack.com/archives/C…[/p…]` or
 * `https://app.slack.com/client/T…/C…`. Undefined for anything else (other hosts, other
 * schemes, `slack://` deep links).
 */
export function channelIdFromUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return undefined;
  const host = parsed.hostname.toLocaleLowerCase('en-US');
  if (host !== 'slack.com' && !host.endsWith('.slack.com')) return undefined;
  const parts = parsed.pathname.split('/').filter(Boolean);
  let id: string | undefined;
  if (parts[0] === 'archives') id = parts[1];
  else if (host === 'app.slack.com' && parts[0] === 'client') id = parts[2];
  return id && CHANNEL_ID.test(id) ? id : undefined;
}

/** `inc-{number}-*` as a matcher of channel names for one incident number (or any, without). */
export function namePatternMatcher(pattern: string, number?: number): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const body = pattern
    .split(NUMBER_PLACEHOLDER)
    .map(part => part.split('*').map(escape).join('.*'))
    .join(number === undefined ? '\\d+' : String(number));
  return new RegExp(`^${body}$`, 'i');
}
