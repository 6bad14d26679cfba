import {
  channelIdFromUrl,
  namePatternMatcher,
  parseChannelIds,
} from './channels';
import { messageEvent } from './normalize';
import { MAX_TEXT, mentionedUsers, plainText, titleOf } from './text';

// Built at run time so that the linter sees test data, not a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');
const names = new Map([['U0AMARA001', 'Amara Okafor']]);

describe('plainText', () => {
  it('resolves user mentions to names, and leaves unknown ones as their id', () => {
    expect(plainText('ping <@U0AMARA001> and <@U0NOBODY01>', names)).toBe(
      'ping @Amara Okafor and @U0NOBODY01',
    );
    expect(mentionedUsers('<@U0AMARA001> <@W0ENT00001|bob> <#C1|x>')).toEqual([
      'U0AMARA001',
      'W0ENT00001',
    ]);
  });

  it('turns http(s) links into "label (url)" and drops other schemes, keeping the label only', () => {
    expect(
      plainText('see <https://grafana.acme.example/d/x|the dashboard>', names),
    ).toBe('see the dashboard (https://grafana.acme.example/d/x)');
    expect(plainText('<https://acme.example/a>', names)).toBe(
      'https://acme.example/a',
    );
    expect(plainText(`click <${SCRIPT_URL}|here>`, names)).toBe('click here');
    expect(plainText(`<${SCRIPT_URL}>`, names)).toBe('');
    expect(plainText('<mailto:a@acme.example|mail me>', names)).toBe('mail me');
  });

  it('writes special mentions and channels as words and interprets nothing else', () => {
    expect(
      plainText('<!here> <!channel> <!everyone> in <#C0123ABCD|ops>', names),
    ).toBe('@here @channel @everyone in #ops');
    expect(plainText('<!subteam^S1|@sre> look', names)).toBe('@sre look');
    // Markup stays text; Slack's own escapes are decoded last, so they cannot form a link.
    expect(plainText('*bold* `code` &lt;script&gt; &amp;lt;', names)).toBe(
      '*bold* `code` <script> &lt;',
    );
    expect(plainText('&lt;https://evil.example|x&gt;', names)).toBe(
      '<https://evil.example|x>',
    );
  });

  it('keeps titles to one line of at most 140 characters', () => {
    const long = `first line\n\nsecond ${'word '.repeat(80)}`;
    const title = titleOf(long);
    expect(title.length).toBeLessThanOrEqual(140);
    expect(title).not.toMatch(/\n/);
    expect(title.startsWith('first line second word')).toBe(true);
    expect(title.endsWith('…')).toBe(true);
    expect(titleOf('short')).toBe('short');
  });
});

describe('messageEvent', () => {
  it('builds a message event with plain text cut to the limit and safe links only', () => {
    const e = messageEvent(
      {
        channel: { id: 'C0PAYMENTS1', via: 'annotation' },
        message: {
          ts: '1700000000.000500',
          user: 'U0AMARA001',
          text: `${'x'.repeat(3000)}`,
          reactions: [{ name: 'rotating_light', count: 2 }],
          reply_count: 3,
          thread_ts: '1700000000.000500',
          latest_reply: '1700000300.000100',
        },
        pinned: false,
        url: SCRIPT_URL,
      },
      'component:default/x',
      names,
    )!;
    expect(e).toMatchObject({
      id: 'slack:C0PAYMENTS1:1700000000.000500',
      kind: 'message',
      severity: 'info',
      startTime: '2023-11-14T22:13:20.000Z',
      actor: { name: 'Amara Okafor' },
      attributes: {
        replyCount: 3,
        latestReplyAt: '2023-11-14T22:18:20.000Z',
        reactions: [{ name: 'rotating_light', count: 2 }],
      },
    });
    expect(e.url).toBeUndefined();
    expect((e.attributes.text as string).length).toBeLessThanOrEqual(MAX_TEXT);
    expect(e.title.length).toBeLessThanOrEqual(140);
  });
});

describe('channels', () => {
  it('reads channel ids from the annotation and from Slack links only', () => {
    expect(
      parseChannelIds('C0123ABCD, C0123ABCD ,#payments,G99999999'),
    ).toEqual({
      ids: ['C0123ABCD', 'G99999999'],
      bad: ['#payments'],
    });
    expect(channelIdFromUrl('https://acme.slack.com/archives/C0123ABCD')).toBe(
      'C0123ABCD',
    );
    expect(
      channelIdFromUrl(
        'https://acme.slack.com/archives/C0123ABCD/p1700000000000500',
      ),
    ).toBe('C0123ABCD');
    expect(
      channelIdFromUrl('https://app.slack.com/client/T0ACME0001/C0123ABCD'),
    ).toBe('C0123ABCD');
    expect(
      channelIdFromUrl('https://slack.com.evil.example/archives/C0123ABCD'),
    ).toBe(undefined);
    expect(channelIdFromUrl('https://zoom.us/j/123')).toBe(undefined);
    expect(channelIdFromUrl(SCRIPT_URL)).toBe(undefined);
    expect(channelIdFromUrl(42)).toBe(undefined);
  });

  it('matches incident channel names by pattern and number', () => {
    expect(
      namePatternMatcher('inc-{number}-*', 1002).test('inc-1002-cart-service'),
    ).toBe(true);
    expect(
      namePatternMatcher('inc-{number}-*', 1002).test('inc-10021-cart'),
    ).toBe(false);
    expect(namePatternMatcher('inc-{number}-*').test('inc-7-x')).toBe(true);
    expect(namePatternMatcher('inc.{number}').test('incX7')).toBe(false);
  });
});
