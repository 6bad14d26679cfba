/*
 * @pagerduty/pdjs against the sandbox, unchanged: the `url` option (its `server` option always
 * means https), offset pagination through .next(), and its own 429 retries.
 */
import { api } from '@pagerduty/pdjs';
import { startSandbox } from '../sandbox';
import { Sandbox } from '../types';
import { FIXED_NOW } from '../__testUtils__/http';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

describe('@pagerduty/pdjs against the sandbox', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({
      seed: 11,
      now: FIXED_NOW,
      rateLimits: { pagerdutyPerMinute: 100_000 },
    });
  });
  afterAll(() => sb.stop());

  it('lists the paged incident of the bad deploy story with its log entries in order', async () => {
    const pd = api({ token: sb.tokens.pagerduty });
    const story = sb.scenario.stories.find(
      s => s.id === 'payments-bad-deploy',
    )!;
    const since = new Date(FIXED_NOW - 24 * 3600e3).toISOString();
    const res = await pd.get('/incidents', {
      url: `${
        sb.urls.pagerduty
      }/incidents?service_ids[]=PPAYAPI&since=${since}&until=${new Date(
        FIXED_NOW,
      ).toISOString()}`,
    });
    expect(res.response.status).toBe(200);
    const incidents = res.data.incidents as any[];
    const inc = incidents.find(i => i.id === story.incident!.pagerdutyId);
    expect(inc).toMatchObject({
      status: 'resolved',
      urgency: 'high',
      incident_number: story.incident!.incidentNumber,
      html_url: `https://acme.pagerduty.com/incidents/${
        story.incident!.pagerdutyId
      }`,
      service: { id: 'PPAYAPI', type: 'service_reference' },
    });
    expect(Date.parse(inc.created_at)).toBe(story.incident!.triggeredAt);
    expect(Date.parse(inc.resolved_at)).toBe(story.incident!.resolvedAt);
    // The cause (the production deploy) comes before the incident.
    expect(story.cause!.at).toBeLessThan(story.incident!.triggeredAt);

    const log = await pd.get(`/incidents/${inc.id}/log_entries`, {
      url: `${sb.urls.pagerduty}/incidents/${inc.id}/log_entries`,
      data: { limit: 100 },
    });
    const entries = (log.data.log_entries as any[]).slice().reverse(); // listed newest first
    const order = entries
      .map(e => e.type)
      .filter(
        t =>
          t !== 'notify_log_entry' &&
          t !== 'assign_log_entry' &&
          t !== 'annotate_log_entry',
      );
    expect(order).toEqual([
      'trigger_log_entry',
      'acknowledge_log_entry',
      'escalate_log_entry',
      'resolve_log_entry',
    ]);
    const times = entries.map(e => Date.parse(e.created_at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const ack = entries.find(e => e.type === 'acknowledge_log_entry');
    expect(ack.agent.type).toBe('user_reference');
    expect(ack.agent.summary).toEqual(expect.any(String));
    const esc = entries.find(e => e.type === 'escalate_log_entry');
    expect(esc.assignees[0].type).toBe('user_reference');
  });

  it('pages with offset/limit/more through response.next()', async () => {
    const pd = api({ token: sb.tokens.pagerduty });
    const first = await pd.get('/incidents', {
      url: `${sb.urls.pagerduty}/incidents?date_range=all`,
      data: { limit: 3, total: true },
    });
    const total = first.data.total as number;
    expect(total).toBeGreaterThan(6);
    const ids: string[] = first.data.incidents.map((i: any) => i.id);
    let page: any = first;
    for (let guard = 0; page.next && guard < 50; guard++) {
      page = await page.next();
      expect(page.data.limit).toBe(3);
      ids.push(...page.data.incidents.map((i: any) => i.id));
    }
    expect(page.data.more).toBe(false);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
  });

  it('answers with the ratelimit headers, and 429 past the per-minute budget (pdjs retries, then hands back the 429)', async () => {
    const small = await startSandbox({
      seed: 11,
      now: FIXED_NOW,
      rateLimits: { pagerdutyPerMinute: 5 },
    });
    try {
      const pd = api({ token: small.tokens.pagerduty });
      // pdjs waits retryTimeout (default 20 s) between its own 429 retries.
      const url = `${small.urls.pagerduty}/services`;
      // requestTimeout 0: pdjs arms a requestTimeout timer per call that it never clears when
      // the last retry is a 429, which would keep the process alive for 30 s.
      const opts = { url, retryTimeout: 5, requestTimeout: 0 } as {
        url: string;
      };
      for (let i = 0; i < 5; i++) {
        const ok = await pd.get('/services', opts);
        expect(ok.response.status).toBe(200);
        expect(ok.response.headers.get('ratelimit-limit')).toBe('5');
        expect(ok.response.headers.get('ratelimit-remaining')).toBe(
          String(4 - i),
        );
      }
      const limited = await pd.get('/services', opts);
      expect(limited.response.status).toBe(429);
      expect(limited.data).toEqual({
        error: { message: 'Rate Limit Exceeded', code: 2020 },
      });
      expect(
        Number(limited.response.headers.get('ratelimit-reset')),
      ).toBeGreaterThan(0);
      // pdjs made its 3 retries inside one call before returning the 429.
      expect(
        small.requests({ upstream: 'pagerduty' }).filter(r => r.status === 429),
      ).toHaveLength(4);
    } finally {
      await small.stop();
    }
  });

  it('refuses a wrong token with the PagerDuty error envelope', async () => {
    const pd = api({ token: 'nope' });
    const res = await pd.get('/services', {
      url: `${sb.urls.pagerduty}/services`,
    });
    expect(res.response.status).toBe(401);
    expect(res.data.error).toMatchObject({
      message: 'Unauthorized',
      code: 2006,
    });
  });
});
