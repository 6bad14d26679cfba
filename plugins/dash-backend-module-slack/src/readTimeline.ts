import { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  FetchEventsRequest,
  FetchEventsResult,
  SourceContext,
  UpstreamError,
  mapWithConcurrency,
  readJsonCursor,
} from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import { ChannelRef } from './channels';
import { CONFIG_ROOT } from './config';
import { findIncidentChannels, listCacheSchema } from './incidentChannels';
import { FlaggedMessage, buildPermalink, messageEvent } from './normalize';
import { SlackRead, readChannel } from './readChannel';
import { permalinkSchema, userInfoSchema } from './schemas';
import { mentionedUsers } from './text';

/** Calls in flight at once within one fetch (the guard bounds them too). */
const PARALLEL = 3;
/** User names kept in the cursor. */
const MAX_CACHED_USERS = 300;
/** Channel ids read before, kept in the cursor. */
const MAX_SEEN_CHANNELS = 200;

const cursorSchema = z.object({
  v: z.literal(1),
  users: z.record(z.string(), z.string()),
  list: listCacheSchema.optional(),
  seen: z.array(z.string()).max(MAX_SEEN_CHANNELS).optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

/** Slack said no to one lookup (an unknown user or message): it costs a name or a link only. */
function isRequestError(e: unknown): boolean {
  return (
    UpstreamError.isUpstreamError(e) &&
    e.status === 'error' &&
    e.httpStatus === 400
  );
}

/**
 * One fetch of an entity's Slack timeline: the pinned and flagged messages of its channels
 * (annotation first, then the incident channels of its PagerDuty incidents), authors and
 * mentions resolved to names (cached in the cursor), permalinks, and the cursor for the next
 * fetch (user names, the incident channel listing).
 */
export async function readTimeline(
  read: SlackRead,
  annotated: ChannelRef[],
  allowed: (channel: ChannelRef) => boolean,
  request: FetchEventsRequest,
  context: SourceContext,
  now: number = Date.now(),
): Promise<FetchEventsResult> {
  const { client, upstream, settings, logger } = read;
  const cursor = readJsonCursor(request.cursor, cursorSchema);
  const incident = await findIncidentChannels(
    read,
    request,
    context,
    cursor?.list,
    now,
  );
  const channels = new Map<string, ChannelRef>();
  for (const channel of [...annotated, ...incident.channels]) {
    if (channels.has(channel.id)) continue;
    if (!allowed(channel)) {
      logger.info(
        `Slack channel ${channel.id}${
          channel.name ? ` (${channel.name})` : ''
        } of ${
          read.entityRef
        } is not in ${CONFIG_ROOT}.allowedChannels; not read`,
      );
      continue;
    }
    channels.set(channel.id, channel);
  }
  const chosen = [...channels.values()].slice(0, settings.maxChannels);
  if (channels.size > chosen.length) {
    logger.warn(
      `Slack: ${read.entityRef} has ${channels.size} channels; read the first ${settings.maxChannels} (${CONFIG_ROOT}.maxChannels)`,
    );
  }

  // A channel read for the first time (an incident channel found since the last fetch) is read
  // from its incident's start, so that an incremental refresh does not miss its beginning.
  const seen = new Set(cursor?.seen ?? []);
  const windowOf = (c: ChannelRef) => ({
    from:
      !seen.has(c.id) &&
      c.since !== undefined &&
      c.since < request.from.getTime()
        ? new Date(c.since)
        : request.from,
    to: request.to,
  });
  const flagged: FlaggedMessage[] = (
    await mapWithConcurrency(chosen, PARALLEL, c =>
      readChannel(read, c, windowOf(c)),
    )
  ).flat();

  // Names of authors and mentioned people: from the cursor, else users.info (bounded).
  const names = new Map(Object.entries(cursor?.users ?? {}));
  const wanted = new Set<string>();
  for (const { message } of flagged) {
    if (message.user) wanted.add(message.user);
    for (const id of mentionedUsers(message.text ?? '')) wanted.add(id);
  }
  const unknown = [...wanted].filter(id => !names.has(id));
  const lookups = unknown.slice(0, settings.maxUserLookups);
  await mapWithConcurrency(lookups, PARALLEL, async id => {
    try {
      const { user } = await client.call(
        upstream,
        'users.info',
        { user: id },
        userInfoSchema,
      );
      const name =
        user.profile?.real_name ||
        user.real_name ||
        user.profile?.display_name ||
        user.name;
      if (name) names.set(id, name.slice(0, 120));
    } catch (e) {
      if (!isRequestError(e)) throw e;
    }
  });
  if (unknown.length > lookups.length) {
    logger.info(
      `Slack: ${
        unknown.length - lookups.length
      } user names are left for the next fetch (${CONFIG_ROOT}.maxUserLookups)`,
    );
  }

  await addPermalinks(read, flagged);

  const events: DashEvent[] = [];
  for (const f of flagged) {
    const e = messageEvent(f, request.entityRef, names);
    if (e) events.push(e);
  }
  const users = Object.fromEntries(
    [...names.entries()].slice(-MAX_CACHED_USERS),
  );
  const next: Cursor = {
    v: 1,
    users,
    ...(incident.list ? { list: incident.list } : {}),
    seen: [...new Set([...chosen.map(c => c.id), ...seen])].slice(
      0,
      MAX_SEEN_CHANNELS,
    ),
  };
  return { events, cursor: JSON.stringify(next) };
}

/** Permalinks: built from `workspaceUrl`, else asked of `chat.getPermalink` (bounded). */
async function addPermalinks(read: SlackRead, flagged: FlaggedMessage[]) {
  const { client, upstream, settings } = read;
  const workspace = settings.workspaceUrl;
  if (workspace) {
    for (const f of flagged) {
      f.url ??= buildPermalink(workspace, f.channel.id, f.message.ts);
    }
    return;
  }
  const missing = flagged
    .filter(f => !f.url)
    .slice(0, settings.maxPermalinkLookups);
  await mapWithConcurrency(missing, PARALLEL, async f => {
    try {
      const answer = await client.call(
        upstream,
        'chat.getPermalink',
        { channel: f.channel.id, message_ts: f.message.ts },
        permalinkSchema,
      );
      f.url = answer.permalink;
    } catch (e) {
      if (!isRequestError(e)) throw e;
    }
  });
}
