/*
 * The Slack Web API of the sandbox, as a client sees it: auth, the payments story's channels
 * and messages, paging, errors as HTTP 200 `ok: false`, and the tiered rate limits.
 */
import { startSandbox } from '../sandbox';
import { Sandbox } from '../types';
import { FIXED_NOW, call } from '../__testUtils__/http';
import { ANNOTATION_SLACK_CHANNEL_ID, slackUserId } from '../scenario/slack';

jest.setTimeout(60_000);

/** POST form-encoded, as `@slack/web-api` sends it. */
function post(sb: Sandbox, method: string, fields: Record<string, string>) {
  return call(sb, 'slack', `/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('slack', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ scenario: 'demo', seed: 42, now: FIXED_NOW });
  });
  afterAll(() => sb.stop());

  const payments = () =>
    sb.scenario.services.find(s => s.name === 'payments-api')!;

  async function listAll(limit: number) {
    const channels: any[] = [];
    let cursor = '';
    for (let pages = 0; pages < 50; pages++) {
      const res = await post(sb, 'conversations.list', {
        limit: String(limit),
        ...(cursor ? { cursor } : {}),
      });
      expect(res.body.ok).toBe(true);
      channels.push(...res.body.channels);
      cursor = res.body.response_metadata.next_cursor;
      if (!cursor) break;
    }
    return channels;
  }

  it('answers errors as HTTP 200 with ok false, and a bad token as invalid_auth', async () => {
    const none = await call(sb, 'slack', '/api/auth.test', { auth: false });
    expect(none).toMatchObject({
      status: 200,
      body: { ok: false, error: 'not_authed' },
    });
    const bad = await call(sb, 'slack', '/api/auth.test', {
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.body).toEqual({ ok: false, error: 'invalid_auth' });
    const byParam = await call(
      sb,
      'slack',
      `/api/auth.test?token=${sb.tokens.slack}`,
      { auth: false },
    );
    expect(byParam.body).toMatchObject({ ok: true, team_id: 'T0ACME0001' });
    const missing = await post(sb, 'conversations.history', {
      channel: 'C000NOPE00',
    });
    expect(missing).toMatchObject({
      status: 200,
      body: { ok: false, error: 'channel_not_found' },
    });
    expect((await post(sb, 'users.info', { user: 'U000NOPE00' })).body).toEqual(
      { ok: false, error: 'user_not_found' },
    );
    expect((await post(sb, 'chat.nope', {})).status).toBe(404);
  });

  it('lists the service channels (the annotated ids) and the incident channels, page by page', async () => {
    const all = await listAll(3);
    const names = all.map(c => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'payments-api',
        'inc-1001-payments-api',
        'inc-1002-cart-service',
      ]),
    );
    expect(all.find(c => c.name === 'payments-api').id).toBe(
      payments().annotations[ANNOTATION_SLACK_CHANNEL_ID],
    );
    expect((await listAll(1000)).map(c => c.id)).toEqual(all.map(c => c.id));
  });

  it('links the payments incident to its channel through the conference bridge', async () => {
    const incident = sb.scenario.stories.find(
      s => s.id === 'payments-bad-deploy',
    )!.incident!;
    const plain = await call(
      sb,
      'pagerduty',
      `/incidents/${incident.pagerdutyId}`,
    );
    expect(plain.body.incident.conference_bridge).toBeUndefined();
    const withBridge = await call(
      sb,
      'pagerduty',
      `/incidents/${incident.pagerdutyId}?include[]=conference_bridge`,
    );
    const url: string =
      withBridge.body.incident.conference_bridge.conference_url;
    const channel = (await listAll(100)).find(
      c => c.name === 'inc-1001-payments-api',
    );
    expect(url).toBe(`https://acme.slack.com/archives/${channel.id}`);
  });

  it('serves the story: the pinned rollback, the flagged alarm with its thread, a mention that resolves', async () => {
    const channel = (await listAll(100)).find(
      c => c.name === 'inc-1001-payments-api',
    ).id;
    const pins = await post(sb, 'pins.list', { channel });
    expect(pins.body.ok).toBe(true);
    expect(pins.body.items).toEqual([
      expect.objectContaining({
        type: 'message',
        channel,
        message: expect.objectContaining({
          text: expect.stringMatching(/^Rolling back v2\.14\.0 to v/),
          pinned_to: [channel],
          permalink: expect.stringMatching(
            new RegExp(
              `^https://acme\\.slack\\.com/archives/${channel}/p\\d{16}$`,
            ),
          ),
        }),
      }),
    ]);

    // Newest first, paged: every message once, the same as one big page.
    const pages: any[] = [];
    let cursor = '';
    for (let i = 0; i < 20; i++) {
      const res = await post(sb, 'conversations.history', {
        channel,
        limit: '2',
        ...(cursor ? { cursor } : {}),
      });
      pages.push(...res.body.messages);
      cursor = res.body.response_metadata.next_cursor;
      expect(res.body.has_more).toBe(cursor !== '');
      if (!cursor) break;
    }
    const whole = await post(sb, 'conversations.history', { channel });
    expect(pages.map(m => m.ts)).toEqual(
      whole.body.messages.map((m: any) => m.ts),
    );
    expect(pages.length).toBeGreaterThanOrEqual(4);
    const ts = pages.map(m => m.ts);
    expect([...ts].sort().reverse()).toEqual(ts);

    // oldest/latest bound the window (exclusive unless inclusive).
    const [newest, second] = whole.body.messages;
    const bounded = await post(sb, 'conversations.history', {
      channel,
      oldest: second.ts,
      latest: newest.ts,
      inclusive: 'true',
    });
    expect(bounded.body.messages.map((m: any) => m.ts)).toEqual([
      newest.ts,
      second.ts,
    ]);
    const exclusive = await post(sb, 'conversations.history', {
      channel,
      oldest: second.ts,
      latest: newest.ts,
    });
    expect(exclusive.body.messages).toEqual([]);

    const mention = whole.body.messages.find((m: any) =>
      /<@U[A-Z0-9]+>/.test(m.text),
    );
    const userId = /<@(U[A-Z0-9]+)>/.exec(mention.text)![1];
    const user = await call(sb, 'slack', `/api/users.info?user=${userId}`);
    expect(user.body).toMatchObject({
      ok: true,
      user: { id: userId, real_name: expect.any(String), is_bot: false },
    });

    const own = payments().annotations[ANNOTATION_SLACK_CHANNEL_ID];
    const history = await post(sb, 'conversations.history', { channel: own });
    const alarm = history.body.messages.find((m: any) =>
      m.text.startsWith(':rotating_light: 5xx rate'),
    );
    expect(alarm).toMatchObject({
      reactions: [expect.objectContaining({ name: 'rotating_light' })],
      reply_count: 2,
      thread_ts: alarm.ts,
    });
    // Replies are not in the history, only in the thread.
    expect(
      history.body.messages.some(
        (m: any) => m.thread_ts && m.ts !== m.thread_ts,
      ),
    ).toBe(false);
    const thread = await post(sb, 'conversations.replies', {
      channel: own,
      ts: alarm.ts,
    });
    const threadTs = thread.body.messages.map((m: any) => m.ts);
    expect(threadTs).toHaveLength(3);
    expect(threadTs[0]).toBe(alarm.ts);
    expect(threadTs[2]).toBe(alarm.latest_reply);
    expect(thread.body.messages[1]).toMatchObject({ thread_ts: alarm.ts });
    const link = await post(sb, 'chat.getPermalink', {
      channel: own,
      message_ts: alarm.ts,
    });
    expect(link.body).toEqual({
      ok: true,
      channel: own,
      permalink: `https://acme.slack.com/archives/${own}/p${alarm.ts.replace(
        '.',
        '',
      )}`,
    });
    expect(slackUserId('x')).toMatch(/^U[A-Z0-9]{10}$/);
  });

  it('is deterministic by seed', async () => {
    const other = await startSandbox({
      scenario: 'demo',
      seed: 42,
      now: FIXED_NOW,
    });
    try {
      const own = payments().annotations[ANNOTATION_SLACK_CHANNEL_ID];
      const a = await post(sb, 'conversations.history', { channel: own });
      const b = await post(other, 'conversations.history', { channel: own });
      expect(b.body).toEqual(a.body);
      expect(a.body.messages.length).toBeGreaterThan(10);
    } finally {
      await other.stop();
    }
  });

  it('limits each method by its tier, answering 429 with Retry-After', async () => {
    const limited = await startSandbox({
      scenario: 'demo',
      seed: 42,
      now: FIXED_NOW,
      rateLimits: { slackTier2PerMinute: 2 },
    });
    try {
      const channel =
        limited.scenario.services[0].annotations[ANNOTATION_SLACK_CHANNEL_ID];
      const pins = () => post(limited, 'pins.list', { channel });
      expect((await pins()).status).toBe(200);
      expect((await pins()).status).toBe(200);
      const refused = await pins();
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ ok: false, error: 'ratelimited' });
      const wait = Number(refused.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      // Tier 3 (5 a minute here) is counted on its own.
      for (let i = 0; i < 5; i++) {
        expect(
          (await post(limited, 'conversations.history', { channel })).status,
        ).toBe(200);
      }
      expect(
        (await post(limited, 'conversations.history', { channel })).status,
      ).toBe(429);
    } finally {
      await limited.stop();
    }
  });
});
