import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { createTestCaller } from '@dash-suite/plugin-dash-node/testUtils';
import {
  serviceEntity as entityOf,
  useTestSandbox,
} from '@dash-suite/upstream-sandbox';
import { readPagerDutySettings } from './config';
import { PagerDutySource } from './PagerDutySource';

jest.setTimeout(60_000);

/** The test guard with a mock logger whose calls the tests assert. */
const testCaller = (timeoutMs = 3000) =>
  createTestCaller({ timeoutMs, logger: mockServices.logger.mock() });

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const UI = 'https://acme.pagerduty.com';

/** PagerDuty answers times in whole seconds. */
const seconds = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString();

describe('PagerDutySource against the sandbox', () => {
  const now = Date.now();
  const sandbox = useTestSandbox({
    scenario: 'demo',
    seed: 42,
    now,
    resetFaults: ['pagerduty'],
  });

  function source(extra: Record<string, unknown> = {}, pageSize?: number) {
    const settings = readPagerDutySettings(
      new ConfigReader({
        dash: {
          guard: { timeoutMs: 2000 },
          sources: {
            pagerduty: {
              apiBaseUrl: sandbox.urls.pagerduty,
              token: sandbox.tokens.pagerduty,
              uiBaseUrl: UI,
              ...extra,
            },
          },
        },
      }),
    );
    if (pageSize) settings.pageSize = pageSize;
    return new PagerDutySource(settings, mockServices.logger.mock());
  }

  const service = (name: string) => {
    const s = sandbox.scenario.services.find(x => x.name === name);
    if (!s) throw new Error(`no ${name} in the scenario`);
    return s;
  };
  const story = (id: string) => {
    const s = sandbox.scenario.stories.find(x => x.id === id);
    if (!s) throw new Error(`no story ${id}`);
    return s;
  };

  async function fetch(
    src: PagerDutySource,
    name: string,
    from: number,
    to: number,
    cursor?: string,
    caller = testCaller(),
  ) {
    const entity = entityOf(service(name));
    const result = await src.fetchEvents(
      {
        entity,
        entityRef: `component:default/${name}`,
        from: new Date(from),
        to: new Date(to),
        cursor,
      },
      caller.context,
    );
    return { ...result, caller };
  }

  it('maps the payments story: the incident, its log entries, the change events and hand-offs', async () => {
    const { incident } = story('payments-bad-deploy');
    const { events, cursor, caller } = await fetch(
      source(),
      'payments-api',
      now - 14 * DAY,
      Date.now(),
    );
    const byId = new Map(events.map(e => [e.id, e]));

    const inc = byId.get(`pagerduty:incident:${incident!.pagerdutyId}`)!;
    expect(inc).toMatchObject({
      source: 'pagerduty',
      kind: 'incident',
      entityRef: 'component:default/payments-api',
      title: incident!.title,
      severity: 'critical',
      status: 'resolved',
      startTime: new Date(incident!.triggeredAt).toISOString(),
      endTime: new Date(incident!.resolvedAt!).toISOString(),
      url: incident!.htmlUrl,
      attributes: expect.objectContaining({
        urgency: 'high',
        incidentNumber: expect.any(Number),
        escalationPolicy: expect.any(String),
      }),
    });
    expect(inc.actor?.name).toEqual(expect.any(String));

    // Its log entries: annotations with stable ids, in story order, each with an actor.
    const entries = events
      .filter(
        e =>
          e.kind === 'annotation' &&
          e.attributes.incidentId === incident!.pagerdutyId,
      )
      .sort((a, b) => a.startTime.localeCompare(b.startTime));
    expect(entries.map(e => e.attributes.logEntryType)).toEqual([
      'trigger',
      'acknowledge',
      'escalate',
      'annotate',
      'resolve',
    ]);
    expect(entries.every(e => e.id.startsWith('pagerduty:log-entry:'))).toBe(
      true,
    );
    expect(entries.every(e => e.attributes.isChange === false)).toBe(true);
    const ack = entries[1];
    expect(ack.startTime).toBe(
      new Date(incident!.acknowledgedAt!).toISOString(),
    );
    expect(ack.actor?.url).toMatch(/^https:\/\/acme\.pagerduty\.com\/users\//);
    expect(ack.title).toMatch(/^Acknowledged by .+: /);
    expect(entries[3].attributes.note).toMatch(/Rolled back v2\.14\.0/);
    expect(entries[3].url).toBe(incident!.htmlUrl);

    // The change event the deploy posted, with its link.
    const payments = story('payments-bad-deploy');
    const changeRef = payments.causeAlsoSeenAs.find(
      c => c.upstream === 'pagerduty',
    )!;
    const change = byId.get(`pagerduty:change:${changeRef.id}`)!;
    expect(change).toMatchObject({
      kind: 'change',
      title: changeRef.summary,
      startTime: new Date(changeRef.at).toISOString(),
      attributes: expect.objectContaining({
        changeType: 'other',
        environment: 'production',
        version: 'v2.14.0',
        changeSource: 'deployctl',
      }),
    });
    expect(change.url).toMatch(/^https:\/\/deployctl\.acme\.example\//);
    expect(change.actor?.name).toEqual(expect.any(String));
    const rollback = events.find(
      e => e.kind === 'change' && /Rolled back payments-api/.test(e.title),
    );
    expect(rollback?.attributes.rollback).toBe(true);

    // Weekly rotations: two weeks hold at least one level-1 hand-off.
    const handoffs = events.filter(e => e.kind === 'on-call-handoff');
    expect(handoffs.length).toBeGreaterThanOrEqual(1);
    for (const h of handoffs) {
      expect(h.id).toMatch(/^pagerduty:oncall:[^:]+:[^:]+:\d+$/);
      expect(h.attributes.escalationLevel).toBe(1);
      expect(h.actor?.name).toEqual(expect.any(String));
      expect(h.url).toMatch(/^https:\/\/acme\.pagerduty\.com\/schedules\//);
    }

    // Rate-limit headers reached the guard; the cursor remembers the escalation policy.
    expect(caller.observed.length).toBeGreaterThan(0);
    expect(caller.observed[0]).toMatchObject({
      limit: 960,
      remaining: expect.any(Number),
    });
    expect(JSON.parse(cursor!)).toMatchObject({
      v: 1,
      policy: { serviceId: 'PPAYAPI', id: expect.any(String) },
    });

    // The same fetch again maps onto the same ids.
    const again = await fetch(
      source(),
      'payments-api',
      now - 14 * DAY,
      Date.now(),
    );
    expect(again.events.map(e => e.id).sort()).toEqual(
      events.map(e => e.id).sort(),
    );
  });

  it('pages through lists and stops at maxPages with a warning', async () => {
    const from = now - 30 * DAY;
    const to = Date.now();
    const whole = await fetch(source(), 'payments-api', from, to);
    const incidents = (es: DashEvent[]) =>
      es
        .filter(e => e.kind === 'incident')
        .map(e => e.id)
        .sort();
    expect(incidents(whole.events).length).toBeGreaterThanOrEqual(2);

    sandbox.resetCounters();
    const paged = await fetch(source({}, 1), 'payments-api', from, to);
    expect(incidents(paged.events)).toEqual(incidents(whole.events));
    const pages = sandbox.requests({
      upstream: 'pagerduty',
      route: 'GET /incidents',
    }).length;
    expect(pages).toBe(incidents(whole.events).length);

    const src = new PagerDutySource(
      {
        ...readPagerDutySettings(
          new ConfigReader({
            dash: {
              sources: {
                pagerduty: {
                  apiBaseUrl: sandbox.urls.pagerduty,
                  token: sandbox.tokens.pagerduty,
                  maxPages: 1,
                },
              },
            },
          }),
        ),
        pageSize: 1,
      },
      mockServices.logger.mock(),
    );
    const capped = await fetch(src, 'payments-api', from, to);
    // Newest first: the most recent incident is kept.
    const newest = whole.events
      .filter(e => e.kind === 'incident')
      .sort((a, b) => b.startTime.localeCompare(a.startTime))
      .slice(0, 1)
      .map(e => e.id)
      .sort();
    expect(incidents(capped.events)).toEqual(newest);
    expect(capped.caller.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/stopped reading incidents after 1 pages of 1/),
    );
  });

  it('reads incrementally and re-reads open incidents until they resolve', async () => {
    const replay = sandbox.replayLive({ stepMs: 400 });
    const incident = replay.story.incident!;
    const src = source();
    // Wait until the incident has been triggered and acknowledged (steps 3 and 4).
    await waitUntil(incident.acknowledgedAt! + 50);
    const first = await fetch(src, 'checkout-api', now - DAY, Date.now());
    const open = first.events.find(
      e => e.id === `pagerduty:incident:${incident.pagerdutyId}`,
    );
    expect(open?.status).toBe('acknowledged');
    expect(open?.endTime).toBeUndefined();
    expect(JSON.parse(first.cursor!).open).toContain(incident.pagerdutyId);

    await waitUntil(incident.resolvedAt! + 50);
    // An incremental window that starts after the incident was created: the listing does not
    // contain it, the re-read by id does.
    sandbox.resetCounters();
    const from = incident.resolvedAt! - 10;
    const second = await fetch(
      src,
      'checkout-api',
      from,
      Date.now(),
      first.cursor,
    );
    const resolved = second.events.find(
      e => e.id === `pagerduty:incident:${incident.pagerdutyId}`,
    );
    expect(resolved).toMatchObject({
      status: 'resolved',
      endTime: seconds(incident.resolvedAt!),
    });
    expect(
      sandbox.requests({ upstream: 'pagerduty', route: 'GET /incidents/{id}' })
        .length,
    ).toBe(1);
    // Its resolve log entry arrives with it.
    expect(
      second.events.some(
        e =>
          e.attributes.logEntryType === 'resolve' &&
          e.attributes.incidentId === incident.pagerdutyId,
      ),
    ).toBe(true);
    // Nothing is open any more, and the policy came from the cursor.
    const cursor = JSON.parse(second.cursor!);
    expect(cursor.open).not.toContain(incident.pagerdutyId);
    expect(
      sandbox.requests({ upstream: 'pagerduty', route: 'GET /services/{id}' })
        .length,
    ).toBe(0);

    // A third fetch after it resolved neither re-reads it nor reads its log entries again.
    sandbox.resetCounters();
    await fetch(
      src,
      'checkout-api',
      Date.now() - 100,
      Date.now(),
      second.cursor,
    );
    expect(
      sandbox
        .requests({ upstream: 'pagerduty' })
        .map(r => r.route)
        .filter(r => r.startsWith('GET /incidents/')),
    ).toEqual([]);
  });

  it('says who is on call now, by escalation level, with e-mail addresses', async () => {
    const src = source();
    const caller = testCaller();
    const entity = entityOf(service('payments-api'));
    const onCall = await src.getOnCall!(entity, caller.context);
    expect(onCall.length).toBeGreaterThanOrEqual(2);
    expect(onCall.map(o => o.escalationLevel)).toEqual(
      [...onCall.map(o => o.escalationLevel)].sort((a, b) => a - b),
    );
    expect(onCall[0]).toMatchObject({
      source: 'pagerduty',
      entityRef: 'component:default/payments-api',
      escalationLevel: 1,
      user: {
        name: expect.any(String),
        email: expect.stringContaining('@'),
        url: expect.stringMatching(/^https:\/\/acme\.pagerduty\.com\/users\//),
      },
      schedule: expect.any(String),
      end: expect.any(String),
      url: expect.stringMatching(
        /^https:\/\/acme\.pagerduty\.com\/schedules\//,
      ),
    });
    expect(Date.parse(onCall[0].end!)).toBeGreaterThan(Date.now());
    expect(src.getDeepLinks(entity)).toEqual([
      { title: 'PagerDuty service', url: `${UI}/service-directory/PPAYAPI` },
    ]);
  });

  it('turns auth failures, rate limits, malformed bodies and hangs into statuses', async () => {
    const src = source();
    const run = (caller = testCaller()) =>
      fetch(src, 'payments-api', now - DAY, Date.now(), undefined, caller);
    const failure = async (caller = testCaller()) => {
      try {
        await run(caller);
      } catch (e) {
        return e;
      }
      throw new Error('expected the fetch to fail');
    };

    sandbox.setFaults('pagerduty', { unauthorized: true });
    const unauthorized = await failure();
    expect(UpstreamError.isUpstreamError(unauthorized)).toBe(true);
    expect(unauthorized).toMatchObject({
      status: 'unauthorized',
      message: expect.stringContaining('dash.sources.pagerduty.token'),
    });

    // pdjs retries a 429 three times itself, `retryTimeout` apart (derived from the guard's
    // timeout here: 200 ms), then hands us the 429 with its Retry-After.
    sandbox.setFaults('pagerduty', {
      rateLimit: { rate: 1, retryAfterSec: 42 },
    });
    sandbox.resetCounters();
    const started = Date.now();
    const limited = await failure();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(limited).toMatchObject({
      status: 'rate-limited',
      retryAfterMs: 42_000,
    });
    expect(sandbox.requests({ upstream: 'pagerduty' }).length).toBe(4);

    sandbox.setFaults('pagerduty', { malformedRate: 1 });
    const malformed = await failure();
    expect(malformed).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/not JSON/),
    });

    sandbox.setFaults('pagerduty', { hangRate: 1 });
    const hung = await failure(testCaller(300));
    expect(hung).toMatchObject({ status: 'timed-out' });

    sandbox.setFaults('pagerduty', undefined);
    await expect(run()).resolves.toMatchObject({ events: expect.any(Array) });
  });

  it('reads a window longer than PagerDuty accepts in chunks of at most 180 days (90 for on-calls)', async () => {
    const { incident } = story('payments-bad-deploy');
    sandbox.resetCounters();
    // The sandbox answers 400 ("the date range may span at most 180 days") like PagerDuty.
    const { events } = await fetch(
      source(),
      'payments-api',
      now - 400 * DAY,
      Date.now(),
    );
    expect(events.map(e => e.id)).toContain(
      `pagerduty:incident:${incident!.pagerdutyId}`,
    );
    const incidentLists = sandbox.requests({
      upstream: 'pagerduty',
      route: 'GET /incidents',
    });
    // 400 days: three ranges of at most 180 days, each read once (one page each here).
    expect(incidentLists.length).toBeGreaterThanOrEqual(3);
    expect(incidentLists.every(r => r.status === 200)).toBe(true);
    const oncallLists = sandbox.requests({
      upstream: 'pagerduty',
      route: 'GET /oncalls',
    });
    expect(oncallLists.length).toBeGreaterThanOrEqual(5);
    expect(
      sandbox.requests({ upstream: 'pagerduty' }).filter(r => r.status >= 400),
    ).toEqual([]);
  });

  it('explains missing config and bad annotations instead of failing', async () => {
    const unconfigured = new PagerDutySource(
      readPagerDutySettings(new ConfigReader({})),
      mockServices.logger.mock(),
    );
    const entity = entityOf(service('payments-api'));
    expect(unconfigured.appliesTo(entity)).toBe(true);
    expect(unconfigured.configurationProblem(entity)).toBe(
      'PagerDuty is not configured: dash.sources.pagerduty.token is missing',
    );
    await expect(
      unconfigured.fetchEvents(
        {
          entity,
          entityRef: 'component:default/payments-api',
          from: new Date(now - HOUR),
          to: new Date(now),
        },
        testCaller().context,
      ),
    ).rejects.toMatchObject({ status: 'not-configured' });

    const src = source({
      accounts: {
        eu: {
          token: sandbox.tokens.pagerduty,
          uiBaseUrl: 'https://acme-eu.pagerduty.com',
        },
        broken: { apiBaseUrl: 'ftp://x' },
      },
    });
    const annotated = (annotations: Record<string, string>) => ({
      ...entity,
      metadata: { ...entity.metadata, annotations },
    });
    expect(src.appliesTo(annotated({}))).toBe(false);
    expect(
      src.configurationProblem(
        annotated({ 'pagerduty.com/service-id': '../../users' }),
      ),
    ).toMatch(/is not a PagerDuty service id/);
    expect(
      src.configurationProblem(
        annotated({
          'pagerduty.com/service-id': 'PPAYAPI',
          'pagerduty.com/account': 'us',
        }),
      ),
    ).toBe(
      "PagerDuty is not configured: there is no account 'us' under dash.sources.pagerduty.accounts",
    );
    expect(
      src.configurationProblem(
        annotated({
          'pagerduty.com/service-id': 'PPAYAPI',
          'pagerduty.com/account': 'broken',
        }),
      ),
    ).toBe(
      'PagerDuty is not configured: dash.sources.pagerduty.accounts.broken.token is missing',
    );
    // The eu account inherits the API base URL and has its own UI.
    const eu = annotated({
      'pagerduty.com/service-id': 'PPAYAPI',
      'pagerduty.com/account': 'eu',
    });
    expect(src.configurationProblem(eu)).toBeUndefined();
    expect(src.getDeepLinks(eu)).toEqual([
      {
        title: 'PagerDuty service',
        url: 'https://acme-eu.pagerduty.com/service-directory/PPAYAPI',
      },
    ]);
  });
});

async function waitUntil(ms: number) {
  const wait = ms - Date.now();
  if (wait > 0) await new Promise(r => setTimeout(r, wait));
}
