import {
  FetchEventsRequest,
  SourceContext,
} from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import { ChannelRef, channelIdFromUrl, namePatternMatcher } from './channels';
import { CONFIG_ROOT } from './config';
import { SlackRead } from './readChannel';
import { channelListSchema } from './schemas';

/** Channel names kept from a listing (those that match the pattern for some number). */
const MAX_LISTED = 500;
/** A listing younger than this is not repeated even when an incident's channel is missing. */
const MIN_RELIST_MS = 5 * 60_000;

export const listCacheSchema = z.object({
  at: z.number(),
  channels: z.record(z.string(), z.string()),
});
export type ListCache = z.infer<typeof listCacheSchema>;

/**
 * The incident channels of the entity's PagerDuty incidents in the window (as the PagerDuty
 * source stored them, so they appear from the refresh after PagerDuty's): the Slack channel the
 * incident's conference bridge links to (`attributes.chatUrl`), and with
 * `incidentChannels.namePattern` the channel named after the incident number, found with
 * `conversations.list` (paged, bounded, reused from the cursor for `listTtlMinutes`).
 */
export async function findIncidentChannels(
  read: SlackRead,
  request: FetchEventsRequest,
  context: SourceContext,
  cached: ListCache | undefined,
  now: number,
): Promise<{ channels: ChannelRef[]; list?: ListCache }> {
  const { incidentChannels } = read.settings;
  if (!incidentChannels.fromPagerDuty || !context.readStoredEvents) {
    return { channels: [], list: cached };
  }
  const incidents = await context.readStoredEvents({
    sources: ['pagerduty'],
    kinds: ['incident'],
    from: new Date(request.from.getTime() - incidentChannels.lookbackMs),
    to: request.to,
  });
  const channels: ChannelRef[] = [];
  /** Incident numbers without a linked channel, and when each incident began. */
  const unlinked = new Map<number, number>();
  // Newest first: when the channel cap bites, the recent incidents are kept.
  for (const incident of [...incidents].reverse()) {
    const raw = incident.attributes.incidentNumber;
    const number = typeof raw === 'number' ? raw : undefined;
    const since = Date.parse(incident.startTime);
    const id = channelIdFromUrl(incident.attributes.chatUrl);
    if (id)
      channels.push({ id, via: 'incident', incidentNumber: number, since });
    else if (number !== undefined) unlinked.set(number, since);
  }
  const pattern = incidentChannels.namePattern;
  if (!pattern || unlinked.size === 0) return { channels, list: cached };

  let list = cached;
  const matchers = [...unlinked].map(([n, since]) => ({
    n,
    since,
    re: namePatternMatcher(pattern, n),
  }));
  const missing = (l: ListCache | undefined) =>
    matchers.some(
      ({ re }) => !Object.keys(l?.channels ?? {}).some(name => re.test(name)),
    );
  const stale =
    !list ||
    now - list.at > incidentChannels.listTtlMs ||
    (missing(list) && now - list.at > MIN_RELIST_MS);
  if (stale) list = await listChannels(read, pattern, now);
  for (const { n, since, re } of matchers) {
    for (const [name, id] of Object.entries(list!.channels)) {
      if (re.test(name)) {
        channels.push({ id, name, via: 'incident', incidentNumber: n, since });
      }
    }
  }
  return { channels, list };
}

async function listChannels(
  read: SlackRead,
  pattern: string,
  now: number,
): Promise<ListCache> {
  const { client, upstream, settings, logger } = read;
  const any = namePatternMatcher(pattern);
  const channels: Record<string, string> = {};
  let kept = 0;
  let cursor: string | undefined;
  let pages = 0;
  for (; pages < settings.incidentChannels.maxListPages; pages++) {
    const answer = await client.call(
      upstream,
      'conversations.list',
      {
        types: 'public_channel',
        exclude_archived: true,
        limit: Math.min(1000, Math.max(settings.pageSize, 200)),
        cursor,
      },
      channelListSchema,
    );
    for (const c of answer.channels) {
      if (c.name && any.test(c.name) && kept < MAX_LISTED) {
        channels[c.name] = c.id;
        kept += 1;
      }
    }
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  if (cursor) {
    logger.warn(
      `Slack: stopped listing channels after ${pages} pages (${CONFIG_ROOT}.incidentChannels.maxListPages); incident channels beyond them are not found by name`,
    );
  }
  return { at: now, channels };
}
