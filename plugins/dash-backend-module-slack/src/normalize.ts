import { DashEvent } from '@dash-suite/plugin-dash-common';
import { dashEventId, safeLink } from '@dash-suite/plugin-dash-node';
import { ChannelRef } from './channels';
import { SlackMessage } from './schemas';
import { MAX_TEXT, cut, plainText, titleOf } from './text';

export const SOURCE_ID = 'slack';

/** Slack's `1700000000.000100` as ISO time; undefined when it is not one. */
export function tsToIso(ts: string | null | undefined): string | undefined {
  if (!ts || !/^\d{1,12}(\.\d{1,6})?$/.test(ts)) return undefined;
  const ms = Math.floor(Number(ts) * 1000);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** A message worth showing, with what the fetch learned about it. */
export interface FlaggedMessage {
  channel: ChannelRef;
  message: SlackMessage;
  /** Pinned in this channel (pins.list, or `pinned_to` in the history). */
  pinned: boolean;
  /** Permalink, from pins.list, chat.getPermalink or built from the workspace URL. */
  url?: string;
}

/**
 * A pinned or flagged Slack message as a timeline event of kind `message`: never a change, never
 * trouble. Its text is plain text (see `plainText`); its replies are folded into it.
 */
export function messageEvent(
  flagged: FlaggedMessage,
  entityRef: string,
  names: ReadonlyMap<string, string>,
): DashEvent | undefined {
  const { channel, message } = flagged;
  const startTime = tsToIso(message.ts);
  if (!startTime) return undefined;
  const text = cut(plainText(message.text ?? '', names), MAX_TEXT);
  const author = message.user
    ? names.get(message.user) ?? message.user
    : message.username ?? undefined;
  const reactions = (message.reactions ?? []).map(r => ({
    name: r.name,
    count: r.count ?? r.users?.length ?? 1,
  }));
  const attributes: DashEvent['attributes'] = {
    channelId: channel.id,
    text,
    pinned: flagged.pinned,
    reactions,
    replyCount: message.reply_count ?? 0,
  };
  if (channel.name) attributes.channelName = channel.name;
  if (channel.via === 'incident') attributes.incidentChannel = true;
  if (channel.incidentNumber !== undefined)
    attributes.incidentNumber = channel.incidentNumber;
  if (message.thread_ts) attributes.threadTs = message.thread_ts;
  const latestReply = tsToIso(message.latest_reply);
  if (latestReply && message.reply_count)
    attributes.latestReplyAt = latestReply;
  const event: DashEvent = {
    id: dashEventId(SOURCE_ID, channel.id, message.ts),
    source: SOURCE_ID,
    kind: 'message',
    title: titleOf(text) || '(message without text)',
    severity: 'info',
    startTime,
    entityRef,
    status: flagged.pinned ? 'pinned' : 'flagged',
    attributes,
  };
  if (author) event.actor = { name: author };
  const url = safeLink(flagged.url);
  if (url) event.url = url;
  return event;
}

/** `<workspace>/archives/<channel>/p<ts without the dot>`, Slack's permalink form. */
export function buildPermalink(
  workspaceUrl: string,
  channel: string,
  ts: string,
): string | undefined {
  return safeLink(
    `${workspaceUrl}/archives/${encodeURIComponent(channel)}/p${ts.replace(
      '.',
      '',
    )}`,
  );
}
