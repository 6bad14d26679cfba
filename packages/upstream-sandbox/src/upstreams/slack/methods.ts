/*
 * The Slack Web API methods the sandbox serves, in Slack's shapes: every answer is
 * `{ok: true, ...}`, every refusal HTTP 200 `{ok: false, error}` (thrown as SlackFault). Lists
 * page with `limit` and an opaque `cursor` (`response_metadata.next_cursor`, empty at the end).
 */
import { SlackMessage } from '../../scenario/model';
import {
  SLACK_TEAM_ID,
  SLACK_WORKSPACE_URL,
  permalink,
  slackUserId,
} from '../../scenario/slack';
import { renderUser } from './users';
import { SlackWorkspace, WorkspaceChannel } from './workspace';

/** A Slack error code, answered as HTTP 200 `{ok: false, error}`. */
export class SlackFault extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

type Params = URLSearchParams;
type Body = Record<string, unknown>;

const SEC = 1000;

/** `1700000000`, `1700000000.5` or `1700000000.000500` as a comparable `\d{10}.\d{6}` string. */
function normTs(raw: string | null, error: string): string | undefined {
  if (raw === null || raw === '') return undefined;
  const m = /^(\d{1,10})(?:\.(\d{0,6})\d*)?$/.exec(raw.trim());
  if (!m) throw new SlackFault(error);
  return `${m[1].padStart(10, '0')}.${(m[2] ?? '').padEnd(6, '0')}`;
}

function limitOf(params: Params, def: number, max: number): number {
  const raw = params.get('limit');
  const n = raw === null || raw === '' ? def : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new SlackFault('invalid_limit');
  return Math.min(n === 0 ? def : n, max);
}

const encodeCursor = (key: string) =>
  Buffer.from(`next:${key}`, 'utf8').toString('base64');

function decodeCursor(params: Params): string | undefined {
  const raw = params.get('cursor');
  if (!raw) return undefined;
  const text = Buffer.from(raw, 'base64').toString('utf8');
  if (!text.startsWith('next:')) throw new SlackFault('invalid_cursor');
  return text.slice(5);
}

function bool(params: Params, name: string): boolean {
  const v = params.get(name);
  return v === 'true' || v === '1';
}

export function slackMethods(ws: SlackWorkspace, asOf: () => number) {
  const channelOf = (params: Params): WorkspaceChannel => {
    const id = params.get('channel') ?? '';
    const channel = ws.channels().get(id);
    if (!channel || channel.createdAt > asOf()) {
      throw new SlackFault('channel_not_found');
    }
    return channel;
  };
  const visible = (channel: WorkspaceChannel) => {
    const now = asOf();
    return channel.messages.filter(m => m.at <= now);
  };
  const repliesOf = (channel: WorkspaceChannel, ts: string) =>
    visible(channel).filter(m => m.threadTs === ts && m.ts !== ts);

  function message(channel: WorkspaceChannel, m: SlackMessage): Body {
    const body: Body = {
      type: 'message',
      user: slackUserId(m.user),
      text: m.text,
      ts: m.ts,
      team: SLACK_TEAM_ID,
    };
    if (m.threadTs && m.threadTs !== m.ts) {
      body.thread_ts = m.threadTs;
      const parent = channel.messages.find(p => p.ts === m.threadTs);
      if (parent) body.parent_user_id = slackUserId(parent.user);
    }
    const replies = m.threadTs ? [] : repliesOf(channel, m.ts);
    if (replies.length) {
      const users = [...new Set(replies.map(r => slackUserId(r.user)))];
      Object.assign(body, {
        thread_ts: m.ts,
        reply_count: replies.length,
        reply_users_count: users.length,
        latest_reply: replies[replies.length - 1].ts,
        reply_users: users,
      });
    }
    if (m.pinned && m.pinned.at <= asOf()) body.pinned_to = [channel.id];
    if (m.reactions?.length) {
      body.reactions = m.reactions.map(r => ({
        name: r.name,
        users: r.users.map(slackUserId),
        count: r.users.length,
      }));
    }
    return body;
  }

  function page<T>(
    items: T[],
    key: (item: T) => string,
    params: Params,
    def: number,
    max: number,
  ): { slice: T[]; next: string } {
    const limit = limitOf(params, def, max);
    const after = decodeCursor(params);
    let start = 0;
    if (after !== undefined) {
      start = items.findIndex(i => key(i) === after);
      if (start < 0) throw new SlackFault('invalid_cursor');
    }
    const slice = items.slice(start, start + limit);
    const rest = items[start + limit];
    return { slice, next: rest ? encodeCursor(key(rest)) : '' };
  }

  return {
    'auth.test': () => ({
      url: `${SLACK_WORKSPACE_URL}/`,
      team: 'Acme',
      user: 'dash',
      team_id: SLACK_TEAM_ID,
      user_id: 'U0DASHBOT01',
      bot_id: 'B0DASHBOT01',
      is_enterprise_install: false,
    }),

    'conversations.list': (params: Params) => {
      const types = (params.get('types') || 'public_channel').split(',');
      if (!types.includes('public_channel')) {
        return { channels: [], response_metadata: { next_cursor: '' } };
      }
      const now = asOf();
      const all = [...ws.channels().values()]
        .filter(c => c.createdAt <= now)
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const { slice, next } = page(all, c => c.id, params, 100, 1000);
      return {
        channels: slice.map(c => ({
          id: c.id,
          name: c.name,
          is_channel: true,
          is_group: false,
          is_im: false,
          is_mpim: false,
          is_private: false,
          created: Math.floor(c.createdAt / SEC),
          is_archived: false,
          is_general: false,
          unlinked: 0,
          name_normalized: c.name,
          is_shared: false,
          is_org_shared: false,
          is_member: true,
          creator: slackUserId(c.creator),
          topic: { value: '', creator: '', last_set: 0 },
          purpose: {
            value: c.purpose,
            creator: slackUserId(c.creator),
            last_set: Math.floor(c.createdAt / SEC),
          },
          num_members: 8,
        })),
        response_metadata: { next_cursor: next },
      };
    },

    'conversations.history': (params: Params) => {
      const channel = channelOf(params);
      const latest = normTs(params.get('latest'), 'invalid_ts_latest');
      const oldest = normTs(params.get('oldest'), 'invalid_ts_oldest');
      const inclusive = bool(params, 'inclusive');
      const inRange = (ts: string) =>
        (oldest === undefined || ts > oldest || (inclusive && ts === oldest)) &&
        (latest === undefined || ts < latest || (inclusive && ts === latest));
      const top = visible(channel)
        .filter(m => !m.threadTs || m.threadTs === m.ts)
        .filter(m => inRange(m.ts))
        .reverse();
      const { slice, next } = page(top, m => m.ts, params, 100, 999);
      return {
        messages: slice.map(m => message(channel, m)),
        has_more: next !== '',
        pin_count: visible(channel).filter(
          m => m.pinned && m.pinned.at <= asOf(),
        ).length,
        channel_actions_ts: null,
        channel_actions_count: 0,
        response_metadata: { next_cursor: next },
      };
    },

    'conversations.replies': (params: Params) => {
      const channel = channelOf(params);
      const ts = normTs(params.get('ts'), 'thread_not_found');
      const parent = visible(channel).find(m => m.ts === ts);
      if (!ts || !parent) throw new SlackFault('thread_not_found');
      const thread = [parent, ...repliesOf(channel, parent.ts)];
      const { slice, next } = page(thread, m => m.ts, params, 100, 1000);
      return {
        messages: slice.map(m => {
          const body = message(channel, m);
          if (m === parent) {
            Object.assign(body, {
              thread_ts: m.ts,
              reply_count: thread.length - 1,
              subscribed: false,
            });
          }
          return body;
        }),
        has_more: next !== '',
        response_metadata: { next_cursor: next },
      };
    },

    'pins.list': (params: Params) => {
      const channel = channelOf(params);
      const now = asOf();
      const pinned = visible(channel)
        .filter(m => m.pinned && m.pinned.at <= now)
        .sort((a, b) => b.pinned!.at - a.pinned!.at);
      return {
        items: pinned.map(m => ({
          type: 'message',
          created: Math.floor(m.pinned!.at / SEC),
          created_by: slackUserId(m.pinned!.by),
          channel: channel.id,
          message: {
            ...message(channel, m),
            permalink: permalink(channel.id, m.ts, m.threadTs),
          },
        })),
      };
    },

    'users.info': (params: Params) => {
      const person = ws.users().get(params.get('user') ?? '');
      if (!person) throw new SlackFault('user_not_found');
      return { user: renderUser(person) };
    },

    'chat.getPermalink': (params: Params) => {
      const channel = channelOf(params);
      const ts = normTs(params.get('message_ts'), 'message_not_found');
      const m = visible(channel).find(x => x.ts === ts);
      if (!m) throw new SlackFault('message_not_found');
      return {
        channel: channel.id,
        permalink: permalink(channel.id, m.ts, m.threadTs),
      };
    },
  } as Record<string, (params: Params) => Body>;
}
