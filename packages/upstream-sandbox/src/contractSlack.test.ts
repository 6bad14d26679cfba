/*
 * Contract test of the Slack Web API against ../shared/specs/slack-web.json (Swagger 2.0, which
 * the OpenAPI helper reads alike: `#/definitions/...` refs, schemas at `responses/<s>/schema`).
 * The document describes GET only and no 429; it documents errors as the `default` response
 * (HTTP 200 `ok: false` on the wire); its list-form `items` (pins.list, objs_user) accept
 * anything, so those shapes are checked against the alternative they must match. Also the
 * PagerDuty incident with `include[]=conference_bridge` that links a Slack channel.
 */
import path from 'node:path';
import { startSandbox } from './sandbox';
import { Sandbox } from './types';
import { OpenApiValidator, sharedSpecsDir } from './__testUtils__/openapi';
import { call, FIXED_NOW } from './__testUtils__/http';
import { ANNOTATION_SLACK_CHANNEL_ID } from './scenario/slack';

jest.setTimeout(30_000);

const specs = sharedSpecsDir();
const withSpecs = specs ? describe : describe.skip;

const withMetadata = (s: any) => ({
  ...s,
  properties: {
    ...s.properties,
    response_metadata: {
      type: 'object',
      properties: { next_cursor: { type: 'string' } },
    },
  },
});

withSpecs('Slack Web API against slack-web.json', () => {
  let sb: Sandbox;
  let v: OpenApiValidator;
  beforeAll(async () => {
    sb = await startSandbox({
      seed: 7,
      now: FIXED_NOW,
      rateLimits: { slackTier2PerMinute: 10_000 },
    });
    v = new OpenApiValidator({
      slack: {
        file: path.join(specs!, 'slack-web.json'),
        errata: [
          {
            pointer: '/paths/~1conversations.history/get/responses/200/schema',
            replace: withMetadata,
            why: "additionalProperties false without response_metadata, which every paged answer carries (the spec's own example fails too, SOURCES.md)",
          },
          {
            pointer: '/paths/~1conversations.replies/get/responses/200/schema',
            replace: withMetadata,
            why: 'same as conversations.history: response_metadata is not listed',
          },
        ],
      },
      pd: { file: path.join(specs!, 'pagerduty-rest.json') },
    });
  });
  afterAll(() => sb?.stop());

  const get = (method: string, query: Record<string, string>) =>
    call(sb, 'slack', `/api/${method}?${new URLSearchParams(query)}`);
  const ok = (method: string, body: unknown) =>
    OpenApiValidator.assert(
      v.schema('slack', `/paths/~1${method}/get/responses/200/schema`),
      body,
      `GET /${method} 200`,
    );
  const failed = (method: string, body: unknown) =>
    OpenApiValidator.assert(
      v.schema('slack', `/paths/~1${method}/get/responses/default/schema`),
      body,
      `GET /${method} default (ok: false)`,
    );
  const message = (body: unknown) =>
    OpenApiValidator.assert(
      v.schema('slack', '/definitions/objs_message'),
      body,
      'objs_message',
    );

  it('serves history, replies, pins, users and permalinks in the documented shapes', async () => {
    const list = await get('conversations.list', { limit: '100' });
    const incident = list.body.channels.find((c: any) =>
      c.name.startsWith('inc-1001-'),
    );
    const own = sb.scenario.services.find(s => s.name === 'payments-api')!
      .annotations[ANNOTATION_SLACK_CHANNEL_ID];

    const history = await get('conversations.history', { channel: own });
    ok('conversations.history', history.body);
    const parent = history.body.messages.find((m: any) => m.reply_count);
    expect(parent).toBeDefined();
    // The check has teeth: a field Slack does not send, or a malformed ts, fails it.
    expect(() =>
      ok('conversations.history', {
        ...history.body,
        messages: [{ ...parent, bogus: 1 }],
      }),
    ).toThrow(/does not match/);
    expect(() => message({ ...parent, ts: '17.1' })).toThrow(/does not match/);
    const paged = await get('conversations.history', {
      channel: own,
      limit: '2',
    });
    ok('conversations.history', paged.body);
    expect(paged.body.response_metadata.next_cursor).not.toBe('');

    const replies = await get('conversations.replies', {
      channel: own,
      ts: parent.ts,
    });
    // The list-form items are a tuple here: the parent and the first reply are checked.
    ok('conversations.replies', replies.body);
    expect(replies.body.messages.length).toBe(parent.reply_count + 1);

    const pins = await get('pins.list', { channel: incident.id });
    ok('pins.list', pins.body);
    expect(pins.body.items.length).toBeGreaterThan(0);
    for (const item of pins.body.items) {
      OpenApiValidator.assert(
        v.schema(
          'slack',
          '/paths/~1pins.list/get/responses/200/schema/items/0/properties/items/items/1',
        ),
        item,
        'pins.list message pin',
      );
      message(item.message);
    }

    const userId = history.body.messages[0].user;
    const user = await get('users.info', { user: userId });
    ok('users.info', user.body);
    OpenApiValidator.assert(
      v.schema('slack', '/definitions/objs_user/items/0'),
      user.body.user,
      'objs_user (non enterprise)',
    );

    const link = await get('chat.getPermalink', {
      channel: own,
      message_ts: parent.ts,
    });
    ok('chat.getPermalink', link.body);
  });

  it('answers errors as the documented default response, with HTTP 200', async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['conversations.history', { channel: 'C000NOPE00' }, 'channel_not_found'],
      [
        'conversations.replies',
        { channel: 'C000NOPE00', ts: '1.000001' },
        'channel_not_found',
      ],
      ['pins.list', { channel: 'C000NOPE00' }, 'channel_not_found'],
      ['users.info', { user: 'U000NOPE00' }, 'user_not_found'],
      [
        'chat.getPermalink',
        { channel: 'C000NOPE00', message_ts: '1.000001' },
        'channel_not_found',
      ],
    ];
    for (const [method, query, error] of cases) {
      const res = await get(method, query);
      expect({ method, status: res.status, body: res.body }).toEqual({
        method,
        status: 200,
        body: { ok: false, error },
      });
      failed(method, res.body);
    }
    const bad = await call(sb, 'slack', '/api/users.info?user=U1', {
      headers: { authorization: 'Bearer wrong' },
    });
    failed('users.info', bad.body);
  });

  it('links the PagerDuty incident to its Slack channel in the documented Incident shape', async () => {
    const id = sb.scenario.stories.find(s => s.id === 'payments-bad-deploy')!
      .incident!.pagerdutyId;
    const res = await call(
      sb,
      'pagerduty',
      `/incidents/${id}?include[]=conference_bridge`,
    );
    expect(res.body.incident.conference_bridge.conference_url).toMatch(
      /^https:\/\/acme\.slack\.com\/archives\/C[A-Z0-9]+$/,
    );
    OpenApiValidator.assert(
      v.response('pd', '/incidents/{id}', 'get', '200'),
      res.body,
      'GET /incidents/{id} 200',
    );
  });
});
