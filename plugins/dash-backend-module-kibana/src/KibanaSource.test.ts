import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { Sandbox, startSandbox } from '@dash-suite/upstream-sandbox';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { KibanaSource } from './KibanaSource';
import { component, testContext } from './__testUtils__/context';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UI = 'https://kibana.acme.example';

/** A throwaway HTTP server on 127.0.0.1 answering with `handler`. */
async function fakeServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{
  url: string;
  requests: http.IncomingMessage[];
  close(): Promise<void>;
}> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('KibanaSource against the sandbox', () => {
  let sb: Sandbox;
  const sources: KibanaSource[] = [];

  beforeAll(async () => {
    sb = await startSandbox({ scenario: 'demo' });
  });
  afterAll(async () => {
    await Promise.all(sources.map(s => s.close()));
    await sb?.stop();
  });
  afterEach(() => {
    sb.setFaults('elasticsearch', undefined);
    sb.setFaults('kibana', undefined);
    sb.resetCounters();
  });

  function source(kibana: JsonObject = {}, timeoutMs = 5000) {
    const ctx = testContext(timeoutMs);
    const base = {
      elasticsearch: {
        node: sb.urls.elasticsearch,
        apiKey: sb.tokens.elasticsearch,
      },
      kibana: {
        baseUrl: sb.urls.kibana,
        apiKey: sb.tokens.kibana,
        uiBaseUrl: UI,
      },
    };
    const config = new ConfigReader({
      dash: { sources: { kibana: { ...base, ...kibana } } },
    });
    const s = KibanaSource.fromConfig(config, { logger: ctx.logger });
    sources.push(s);
    return { ctx, source: s };
  }

  function entity(name: string) {
    const svc = sb.scenario.services.find(s => s.name === name)!;
    return {
      entity: component(name, svc.annotations),
      entityRef: svc.entityRef,
    };
  }

  async function fetch(
    s: KibanaSource,
    ctx: ReturnType<typeof testContext>,
    name: string,
    fromAgoMs: number,
    cursor?: string,
  ) {
    const now = Date.now();
    return s.fetchEvents(
      {
        ...entity(name),
        from: new Date(now - fromAgoMs),
        to: new Date(now),
        cursor,
      },
      ctx,
    );
  }

  it("turns the payments story's error spike into a log-spike event with a Discover link", async () => {
    const { ctx, source: s } = source();
    const { events, cursor } = await fetch(s, ctx, 'payments-api', 6 * HOUR);
    const story = sb.scenario.stories.find(
      x => x.id === 'payments-bad-deploy',
    )!;
    const truth = story.errorSpikes[0];
    const spikes = events.filter(e => e.kind === 'log-spike');
    expect(spikes).toHaveLength(1);
    const [spike] = spikes;
    // The first bucket is the minute the spike began in, or the next one when it began too
    // late in its minute to fill it with `minCount` errors.
    const firstMinute = Math.floor(truth.from / MINUTE) * MINUTE;
    expect([firstMinute, firstMinute + MINUTE]).toContain(
      Date.parse(spike.startTime),
    );
    expect(spike).toMatchObject({
      id: `kibana:log-spike:logs-payments-*:${spike.startTime}`,
      source: 'kibana',
      entityRef: 'component:default/payments-api',
      severity: 'critical',
      status: 'ended',
      attributes: expect.objectContaining({
        interval: '1m',
        indexPattern: 'logs-payments-*',
        query: 'service.name:"payments-api" AND log.level:error',
        dataViewId: 'logs-payments',
      }),
    });
    expect(Math.abs(Date.parse(spike.endTime!) - truth.to)).toBeLessThanOrEqual(
      2 * MINUTE,
    );
    expect(spike.attributes.peakCount as number).toBeGreaterThanOrEqual(
      truth.perMinute,
    );
    expect(spike.url).toBe(
      `${UI}/app/discover#/?_g=(time:(from:'${spike.startTime}',to:'${spike.endTime}'))` +
        "&_a=(dataSource:(dataViewId:'logs-payments',type:dataView),query:(language:lucene,query:'service.name:%22payments-api%22%20AND%20log.level:error'))",
    );
    expect(JSON.parse(cursor!)).toEqual({ v: 1, interval: '1m' });

    // The search went to the index pattern, with the Lucene query in the body.
    const searches = sb.requests({ upstream: 'elasticsearch' });
    expect(searches.map(r => r.path)).toEqual(['/logs-payments-*/_search']);
  });

  it("puts the Kibana rule's alert on the timeline, linked to the rule", async () => {
    const { ctx, source: s } = source();
    const { events } = await fetch(s, ctx, 'payments-api', 6 * HOUR);
    const alerts = events.filter(e => e.kind === 'alert');
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    const ruleId = String(alert.attributes.ruleId);
    expect(alert).toMatchObject({
      id: `kibana:rule:${ruleId}:${alert.startTime}`,
      title: 'Kibana rule "payments-api error logs" alerted',
      status: 'recovered',
      severity: 'error',
      url: `${UI}/app/management/insightsAndAlerting/triggersActions/rule/${ruleId}`,
      attributes: expect.objectContaining({
        ruleName: 'payments-api error logs',
        maxActiveAlerts: 1,
      }),
    });
    const spike = events.find(e => e.kind === 'log-spike')!;
    // The rule runs every 5 minutes: it sees the spike within one run of its start and end.
    expect(
      Date.parse(alert.startTime) - Date.parse(spike.startTime),
    ).toBeLessThanOrEqual(6 * MINUTE);
    expect(Date.parse(alert.endTime!)).toBeGreaterThan(
      Date.parse(spike.endTime!),
    );
    // Only the service's rule was asked for, by its tag; its executions through the internal API.
    const routes = sb.requests({ upstream: 'kibana' }).map(r => r.route);
    expect(routes).toEqual([
      'GET /api/alerting/rules/_find',
      'GET /internal/alerting/rule/{id}/_execution_log',
    ]);
  });

  it('gives the same ids on a refresh, keeping the interval of the first fetch in the cursor', async () => {
    const { ctx, source: s } = source();
    const first = await fetch(s, ctx, 'payments-api', 30 * HOUR);
    expect(JSON.parse(first.cursor!).interval).toBe('5m');
    const again = await fetch(s, ctx, 'payments-api', 6 * HOUR, first.cursor);
    expect(JSON.parse(again.cursor!).interval).toBe('5m');
    const ids = (events: DashEvent[]) => events.map(e => e.id).sort();
    expect(ids(again.events)).toEqual(
      ids(first.events).filter(id => ids(again.events).includes(id)),
    );
    expect(again.events.map(e => e.id)).toEqual(
      expect.arrayContaining(
        first.events
          .filter(
            e => Date.parse(e.endTime ?? e.startTime) > Date.now() - 6 * HOUR,
          )
          .map(e => e.id),
      ),
    );
    // Without the cursor a 6-hour window would use 1-minute buckets.
    const fresh = await fetch(s, ctx, 'payments-api', 6 * HOUR);
    expect(JSON.parse(fresh.cursor!).interval).toBe('1m');
  });

  it('uses hourly buckets for two weeks, and the execution log in pages', async () => {
    const { ctx, source: s } = source();
    const { events, cursor } = await fetch(s, ctx, 'cart-service', 14 * DAY);
    expect(JSON.parse(cursor!).interval).toBe('1h');
    expect(events.filter(e => e.kind === 'log-spike').length).toBeGreaterThan(
      1,
    );
    // 14 days of 5-minute executions is more than 5 pages of 500: the oldest are left out.
    const pages = sb
      .requests({ upstream: 'kibana' })
      .filter(
        r => r.route === 'GET /internal/alerting/rule/{id}/_execution_log',
      );
    expect(pages).toHaveLength(5);
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/read 2500 of \d+ executions; older ones left out/),
    );
    expect(events.filter(e => e.kind === 'alert').length).toBeGreaterThan(0);
  });

  it('says not-configured with the missing key, and for bad annotations', async () => {
    const ctx = testContext();
    const none = KibanaSource.fromConfig(new ConfigReader({}), {
      logger: ctx.logger,
    });
    const { entity: payments } = entity('payments-api');
    expect(none.appliesTo(payments)).toBe(true);
    expect(none.configurationProblem(payments)).toBe(
      'Missing config dash.sources.kibana.elasticsearch.node: the Elasticsearch cluster that holds the logs',
    );
    const bad = KibanaSource.fromConfig(
      new ConfigReader({
        dash: { sources: { kibana: { elasticsearch: { node: 'ftp://x' } } } },
      }),
      { logger: ctx.logger },
    );
    expect(bad.configurationProblem(payments)).toMatch(
      /dash\.sources\.kibana\.elasticsearch\.node must be an http or https URL/,
    );
    const { source: s } = source();
    expect(s.appliesTo(component('x', {}))).toBe(false);
    const sneaky = component('x', {
      'kibana/index-pattern': 'logs-*,.security',
    });
    expect(s.configurationProblem(sneaky)).toMatch(/comma-separated/);
    await expect(
      s.fetchEvents(
        {
          entity: sneaky,
          entityRef: 'component:default/x',
          from: new Date(0),
          to: new Date(),
        },
        testContext(),
      ),
    ).rejects.toMatchObject({ status: 'not-configured' });
    expect(sb.requests()).toEqual([]);
  });

  it('turns a query Elasticsearch cannot parse into not-configured naming the annotation', async () => {
    const { ctx, source: s } = source();
    const broken = component('broken', {
      'kibana/index-pattern': 'logs-payments-*',
      'kibana/log-query': 'service.name:(payments-api',
    });
    const now = Date.now();
    await expect(
      s.fetchEvents(
        {
          entity: broken,
          entityRef: 'component:default/broken',
          from: new Date(now - HOUR),
          to: new Date(now),
        },
        ctx,
      ),
    ).rejects.toMatchObject({
      status: 'not-configured',
      message: expect.stringMatching(/check kibana\/log-query/),
    });
  });

  it('reports refused credentials as unauthorized, for Elasticsearch and for Kibana', async () => {
    const wrongEs = source({
      elasticsearch: {
        node: sb.urls.elasticsearch,
        apiKey: 'd3Jvbmc6d3Jvbmc=',
      },
    });
    await expect(
      fetch(wrongEs.source, wrongEs.ctx, 'payments-api', HOUR),
    ).rejects.toMatchObject({
      status: 'unauthorized',
      message: expect.stringMatching(
        /Elasticsearch .* refused the credentials \(401/,
      ),
    });
    const wrongKibana = source({
      kibana: { baseUrl: sb.urls.kibana, apiKey: 'nope', uiBaseUrl: UI },
    });
    await expect(
      fetch(wrongKibana.source, wrongKibana.ctx, 'payments-api', HOUR),
    ).rejects.toMatchObject({
      status: 'unauthorized',
      message: expect.stringMatching(
        /Kibana refused the alerting rules request \(401\)/,
      ),
    });
    const basic = source({
      elasticsearch: {
        node: sb.urls.elasticsearch,
        username: 'dash',
        password: sb.tokens.elasticsearch,
      },
    });
    await expect(
      fetch(basic.source, basic.ctx, 'payments-api', HOUR),
    ).resolves.toBeDefined();
  });

  it('turns 429s into rate-limited with the wait asked for', async () => {
    sb.setFaults('elasticsearch', { rateLimit: { retryAfterSec: 9 } });
    const es = source();
    await expect(
      fetch(es.source, es.ctx, 'payments-api', HOUR),
    ).rejects.toMatchObject({
      status: 'rate-limited',
      retryAfterMs: 9000,
    });
    sb.setFaults('elasticsearch', undefined);
    sb.setFaults('kibana', { rateLimit: { retryAfterSec: 4 } });
    const kb = source();
    await expect(
      fetch(kb.source, kb.ctx, 'payments-api', HOUR),
    ).rejects.toMatchObject({
      status: 'rate-limited',
      retryAfterMs: 4000,
    });
  });

  it('rejects garbled answers inside the guarded call, so that the guard can retry them', async () => {
    sb.setFaults('elasticsearch', { malformedRate: 1 });
    const es = source();
    const esError = await fetch(es.source, es.ctx, 'payments-api', HOUR).catch(
      e => e,
    );
    expect(UpstreamError.isUpstreamError(esError)).toBe(false);
    sb.setFaults('elasticsearch', undefined);
    sb.setFaults('kibana', { malformedRate: 1 });
    const kb = source();
    await expect(
      fetch(kb.source, kb.ctx, 'payments-api', HOUR),
    ).rejects.toThrow('Kibana answered alerting rules with invalid JSON');
  });

  it('lets server errors through for the guard to retry, with no retry in the client', async () => {
    sb.setFaults('elasticsearch', { errorRate: 1 });
    const { ctx, source: s } = source();
    await expect(fetch(s, ctx, 'payments-api', HOUR)).rejects.toThrow(
      /Elasticsearch answered 50\d/,
    );
    expect(sb.requests({ upstream: 'elasticsearch' })).toHaveLength(1);
  });

  it('stops waiting when the guard aborts a hung search', async () => {
    sb.setFaults('elasticsearch', { hangRate: 1 });
    const { ctx, source: s } = source({}, 300);
    const started = Date.now();
    await expect(fetch(s, ctx, 'payments-api', HOUR)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a server that is not Elasticsearch', async () => {
    const impostor = await fakeServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ aggregations: { errors: { buckets: [] } } }));
    });
    try {
      const { ctx, source: s } = source({
        elasticsearch: { node: impostor.url },
        kibana: {},
      });
      await expect(fetch(s, ctx, 'payments-api', HOUR)).rejects.toMatchObject({
        status: 'error',
        message: expect.stringMatching(/is not Elasticsearch/),
      });
    } finally {
      await impostor.close();
    }
  });

  it('shows spikes without Kibana alerts, and no links, when only Elasticsearch is configured', async () => {
    const { ctx, source: s } = source({ kibana: {} });
    const { events } = await fetch(s, ctx, 'payments-api', 6 * HOUR);
    expect(events.map(e => e.kind)).toEqual(['log-spike']);
    expect(events[0].url).toBeUndefined();
    expect(sb.requests({ upstream: 'kibana' })).toEqual([]);
    await expect(
      s.getFiringAlerts(entity('payments-api').entity, ctx),
    ).rejects.toMatchObject({
      status: 'not-configured',
      message: expect.stringMatching(/dash\.sources\.kibana\.kibana\.baseUrl/),
    });
  });

  it('has no firing alerts when no rule is active', async () => {
    const { ctx, source: s } = source();
    await expect(
      s.getFiringAlerts(entity('payments-api').entity, ctx),
    ).resolves.toEqual([]);
  });
});

describe('KibanaSource firing alerts', () => {
  it('reports the rules whose last run found active alerts, from the start of their episode', async () => {
    const now = Date.now();
    const at = (minutesAgo: number) =>
      new Date(now - minutesAgo * MINUTE).toISOString();
    const rule = (id: string, active: number, tags: string[]) => ({
      id,
      name: `rule ${id}`,
      tags,
      enabled: true,
      rule_type_id: '.es-query',
      execution_status: {
        status: active ? 'active' : 'ok',
        last_execution_date: at(1),
      },
      last_run: {
        alerts_count: { active, new: 0, recovered: 0, ignored: 0 },
        outcome: 'succeeded',
      },
    });
    const kibana = await fakeServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/s/ops/api/alerting/rules/_find') {
        res.end(
          JSON.stringify({
            page: 1,
            per_page: 100,
            total: 2,
            data: [
              rule('r-active', 2, ['team:checkout', 'severity:critical']),
              rule('r-quiet', 0, []),
            ],
          }),
        );
        return;
      }
      if (
        url.pathname === '/s/ops/internal/alerting/rule/r-active/_execution_log'
      ) {
        res.end(
          JSON.stringify({
            total: 4,
            data: [
              {
                timestamp: at(1),
                status: 'success',
                num_active_alerts: 2,
                num_new_alerts: 0,
              },
              {
                timestamp: at(6),
                status: 'success',
                num_active_alerts: 1,
                num_new_alerts: 1,
              },
              {
                timestamp: at(11),
                status: 'success',
                num_active_alerts: 0,
                num_new_alerts: 0,
              },
              {
                timestamp: at(16),
                status: 'success',
                num_active_alerts: 0,
                num_new_alerts: 0,
              },
            ],
          }),
        );
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    });
    const ctx = testContext();
    const s = KibanaSource.fromConfig(
      new ConfigReader({
        dash: {
          sources: {
            kibana: {
              elasticsearch: { node: 'http://127.0.0.1:9' },
              kibana: {
                baseUrl: kibana.url,
                apiKey: 'k',
                spaceId: 'ops',
                ruleTag: 'team:{name}',
              },
            },
          },
        },
      }),
      { logger: ctx.logger },
    );
    try {
      const checkout = component('checkout', {
        'kibana/index-pattern': 'logs-checkout-*',
      });
      const alerts = await s.getFiringAlerts(checkout, ctx);
      expect(alerts).toEqual([
        expect.objectContaining({
          id: `kibana:rule:r-active:${at(6)}`,
          kind: 'alert',
          status: 'active',
          severity: 'critical',
          startTime: at(6),
          endTime: undefined,
          title: 'Kibana rule "rule r-active" is alerting',
          url: `${kibana.url}/s/ops/app/management/insightsAndAlerting/triggersActions/rule/r-active`,
          attributes: expect.objectContaining({ maxActiveAlerts: 2 }),
        }),
      ]);
      const [find, log] = kibana.requests;
      expect(new URL(find.url!, 'http://x').searchParams.get('filter')).toBe(
        'alert.attributes.tags:"team:checkout"',
      );
      expect(find.headers.authorization).toBe('ApiKey k');
      expect(log.headers['x-elastic-internal-origin']).toBe('kibana');
    } finally {
      await s.close();
      await kibana.close();
    }
  });
});
