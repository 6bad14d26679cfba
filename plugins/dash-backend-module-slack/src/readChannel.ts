import { LoggerService } from '@backstage/backend-plugin-api';
import { UpstreamCaller } from '@dash-suite/plugin-dash-node';
import { ChannelRef } from './channels';
import { CONFIG_ROOT, SlackSettings } from './config';
import { FlaggedMessage } from './normalize';
import {
  SlackMessage,
  historySchema,
  messageSchema,
  pinsSchema,
} from './schemas';
import { SlackClient } from './SlackClient';

/** What one fetch of one entity needs. */
export interface SlackRead {
  client: SlackClient;
  settings: SlackSettings;
  upstream: UpstreamCaller;
  logger: LoggerService;
  entityRef: string;
}

/** Channel events that are no conversation (joins, topic changes). */
const NOISE_SUBTYPES = new Set([
  'channel_join',
  'channel_leave',
  'channel_topic',
  'channel_purpose',
  'channel_name',
  'channel_archive',
  'channel_unarchive',
  'group_join',
  'group_leave',
]);

const seconds = (d: Date) => (d.getTime() / 1000).toFixed(6);

/**
 * The pinned and flagged messages of one channel in the window: its pins (`pins.list`, pinned
 * thread replies included) and the history (`conversations.history` from `from` to `to`, newest
 * first, paged, at most `maxMessagesPerChannel` messages read) filtered to messages carrying a
 * configured reaction. Thread replies are not read: a parent carries their count and the time
 * of the latest one.
 */
export async function readChannel(
  read: SlackRead,
  channel: ChannelRef,
  window: { from: Date; to: Date },
): Promise<FlaggedMessage[]> {
  const { client, upstream, settings, logger } = read;
  const fromMs = window.from.getTime();
  const toMs = window.to.getTime();
  const inWindow = (m: SlackMessage) => {
    const ms = Number(m.ts) * 1000;
    return ms >= fromMs && ms <= toMs;
  };
  const found = new Map<string, FlaggedMessage>();

  const pins = await client.call(
    upstream,
    'pins.list',
    { channel: channel.id },
    pinsSchema,
  );
  for (const item of pins.items) {
    if (item.type && item.type !== 'message') continue;
    const parsed = messageSchema.safeParse(item.message);
    if (!parsed.success || !inWindow(parsed.data)) continue;
    found.set(parsed.data.ts, {
      channel,
      message: parsed.data,
      pinned: true,
      url: parsed.data.permalink ?? undefined,
    });
  }

  const cap = settings.maxMessagesPerChannel;
  const maxPages = Math.ceil(cap / settings.pageSize) + 1;
  let readCount = 0;
  let dropped = 0;
  let cursor: string | undefined;
  let more = false;
  for (let page = 0; page < maxPages && readCount < cap; page++) {
    const answer = await client.call(
      upstream,
      'conversations.history',
      {
        channel: channel.id,
        oldest: seconds(window.from),
        latest: seconds(window.to),
        inclusive: true,
        limit: Math.min(settings.pageSize, cap - readCount),
        cursor,
      },
      historySchema,
    );
    dropped += answer.messages.dropped;
    for (const message of answer.messages.items) {
      if (readCount >= cap) break;
      readCount += 1;
      if (message.subtype && NOISE_SUBTYPES.has(message.subtype)) continue;
      const pinned = (message.pinned_to ?? []).includes(channel.id);
      const flagged = (message.reactions ?? []).some(r =>
        settings.reactions.has(r.name),
      );
      if (!pinned && !flagged) continue;
      const before = found.get(message.ts);
      // The history has the reply count and reactions; the pin's copy may have the permalink.
      found.set(message.ts, {
        channel,
        message,
        pinned: pinned || Boolean(before?.pinned),
        url: before?.url,
      });
    }
    cursor = answer.response_metadata?.next_cursor || undefined;
    more = Boolean(cursor);
    if (!cursor) break;
  }
  if (more) {
    logger.warn(
      `Slack channel ${channel.id} of ${read.entityRef}: read the newest ${readCount} messages of the window (${CONFIG_ROOT}.maxMessagesPerChannel); older flagged messages are not shown`,
    );
  }
  if (dropped) {
    logger.warn(
      `Slack channel ${channel.id}: skipped ${dropped} messages without the expected fields`,
    );
  }
  return [...found.values()];
}
