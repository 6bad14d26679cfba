import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { createTestCaller } from '@dash-suite/plugin-dash-node/testUtils';
import {
  serviceEntity as entityOf,
  useTestSandbox,
} from '@dash-suite/upstream-sandbox';
import { GrafanaSettings, readGrafanaSettings } from './config';
import { GrafanaSource } from './GrafanaSource';

jest.setTimeout(60_000);

/** The test guard with a mock logger whose calls the tests assert. */
const testCaller = (timeoutMs = 3000) =>
  createTestCaller({ timeoutMs, logger: mockServices.logger.mock() });

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const UI = 'https://grafana.acme.example';

describe('GrafanaSource against the sandbox', () => {
  const now = Date.now();
  const sandbox = useTestSandbox({
    scenario: 'demo',
    seed: 42,
    now,
    resetFaults: ['grafana'],
  });

  function source(
    extra: Record<string, unknown> = {},
    tweak: Partial<GrafanaSettings> = {},
  ) {
    const settings = readGrafanaSettings(
      new ConfigReader({
        dash: {
          sources: {
            grafana: {
              baseUrl: sandbox.urls.grafana,
              token: sandbox.tokens.grafana,
              uiBaseUrl: UI,
              ...extra,
            },
          },
        },
      }),
    );
    return new GrafanaSource(
      { ...settings, ...tweak },
      mockServices.logger.mock(),
    );
  }

  const entity = (name: string, annotations: Record<string, string> = {}) => {
    const s = sandbox.scenario.services.find(x => x.name === name);
    if (!s) throw new Error(`no ${name} in the scenario`);
    const e = entityOf(s);
    e.metadata.annotations = { ...e.metadata.annotations, ...annotations };
    return e;
  };
  const story = (id: string) =>
    sandbox.scenario.stories.find(x => x.id === id)!;

  async function fetch(
    src: GrafanaSource,
    e: Entity,
    from: number,
    to: number,
    cursor?: string,
    caller = testCaller(),
  ) {
    const result = await src.fetchEvents(
      {
        entity: e,
        entityRef: `component:default/${e.metadata.name}`,
        from: new Date(from),
        to: new Date(to),
        cursor,
      },
      caller.context,
    );
    return { ...result, caller };
  }

  it('maps the payments story: deploy and rollback annotations, and the alert episode', async () => {
    const payments = story('payments-bad-deploy');
    const deployAt = payments.cause!.at;
    const src = source();
    const e = entity('payments-api');
    const { events, cursor } = await fetch(src, e, now - DAY, Date.now());

    const deploy = events.find(
      x =>
        x.kind === 'annotation' &&
        x.startTime === new Date(deployAt).toISOString(),
    )!;
    expect(deploy).toMatchObject({
      id: expect.stringMatching(/^grafana:annotation:\d+$/),
      source: 'grafana',
      title: 'Deploy payments-api v2.14.0 to production',
      severity: 'info',
      endTime: new Date(deployAt + 3 * 60_000).toISOString(),
      actor: { name: expect.any(String), email: expect.stringContaining('@') },
      attributes: expect.objectContaining({
        tags: ['deploy', 'payments-api', 'production'],
        isChange: true,
        environment: 'production',
      }),
    });
    // Organisation annotations open the service's first dashboard around their time.
    const link = new URL(deploy.url!);
    expect(`${link.origin}${link.pathname}`).toMatch(
      new RegExp(`^${UI}/d/[\\w-]+$`),
    );
    expect(Number(link.searchParams.get('from'))).toBe(deployAt - 30 * 60_000);
    expect(Number(link.searchParams.get('to'))).toBe(deployAt + 33 * 60_000);
    const rollback = events.find(
      x => x.kind === 'annotation' && /^Roll back payments-api/.test(x.title),
    );
    expect(rollback?.attributes).toMatchObject({
      rollback: true,
      isChange: true,
    });

    const alert = events.filter(x => x.kind === 'alert');
    // The rule fires in other stories of payments-api too: take this story's episode.
    const episode = alert.find(
      x =>
        x.attributes.ruleUid === payments.alert!.ruleUid &&
        x.startTime === new Date(payments.alert!.firingAt).toISOString(),
    )!;
    expect(episode).toMatchObject({
      id: expect.stringMatching(
        new RegExp(`^grafana:alert:${payments.alert!.ruleUid}:\\d+$`),
      ),
      title: payments.alert!.alertName,
      severity: 'critical',
      status: 'resolved',
      startTime: new Date(payments.alert!.firingAt).toISOString(),
      endTime: new Date(payments.alert!.resolvedAt!).toISOString(),
      url: `${UI}/alerting/grafana/${payments.alert!.ruleUid}/view`,
      attributes: expect.objectContaining({
        pendingAt: expect.any(String),
        labels: expect.objectContaining({ service: 'payments-api' }),
        runbookUrl: expect.stringMatching(/^https:\/\/runbooks\./),
      }),
    });
    // Only this service's alerts.
    for (const a of alert) {
      expect((a.attributes.labels as any).service).toBe('payments-api');
    }
    expect(JSON.parse(cursor!)).toEqual({ v: 1, open: [] });

    const again = await fetch(src, e, now - DAY, Date.now());
    expect(again.events.map(x => x.id).sort()).toEqual(
      events.map(x => x.id).sort(),
    );
  });

  it('evaluates expression selectors and reads annotations of the matched dashboards', async () => {
    const src = source();
    const e = entity('payments-api', {
      'grafana/dashboard-selector': "tags @> 'payments-api' && tags @> 'slo'",
      'grafana/alert-label-selector': '',
    });
    sandbox.resetCounters();
    const { events } = await fetch(src, e, now - DAY, Date.now());
    const searches = sandbox.requests({
      upstream: 'grafana',
      route: 'GET /api/search',
    });
    expect(searches).toHaveLength(1);
    const annotationCalls = sandbox.requests({
      upstream: 'grafana',
      route: 'GET /api/annotations',
    });
    // One dashboard (the SLO one) plus one tag query per positive tag.
    expect(annotationCalls).toHaveLength(3);
    // The deploy annotations are tagged payments-api but not slo: not the selector's.
    expect(events).toEqual([]);
    const links = src.getDeepLinks(e, {
      from: new Date(now - HOUR),
      to: new Date(now),
    });
    expect(links).toEqual([
      {
        title: expect.stringMatching(/^Grafana: .*SLOs$/),
        url: expect.stringMatching(
          new RegExp(`^${UI}/d/[\\w-]+\\?from=${now - HOUR}&to=${now}$`),
        ),
      },
    ]);
  });

  it('pages annotations by time and stops at maxPages with a warning', async () => {
    const e = entity('payments-api');
    const from = now - 14 * DAY;
    const whole = await fetch(source(), e, from, Date.now());
    const ids = (es: DashEvent[]) =>
      es
        .filter(x => x.kind === 'annotation')
        .map(x => x.id)
        .sort();
    expect(ids(whole.events).length).toBeGreaterThan(3);

    const paged = await fetch(
      source({}, { annotationPageSize: 2, maxPages: 100 }),
      e,
      from,
      Date.now(),
    );
    expect(ids(paged.events)).toEqual(ids(whole.events));

    const capped = await fetch(
      source({}, { annotationPageSize: 2, maxPages: 1 }),
      e,
      from,
      Date.now(),
    );
    expect(ids(capped.events).length).toBe(2);
    expect(capped.caller.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /stopped reading annotations .* after 1 pages of 2/,
      ),
    );
  });

  it('follows a live alert from firing to resolved under one id, and lists it as firing meanwhile', async () => {
    const replay = sandbox.replayLive({ stepMs: 400 });
    const alert = replay.story.alert!;
    const src = source();
    const e = entity('checkout-api');
    await waitUntil(alert.firingAt + 50);

    const firingNow = await src.getFiringAlerts!(e, testCaller().context);
    expect(firingNow).toEqual([
      expect.objectContaining({
        kind: 'alert',
        status: 'firing',
        title: alert.alertName,
        severity: 'critical',
        entityRef: 'component:default/checkout-api',
        url: `${UI}/alerting/grafana/${alert.ruleUid}/view`,
      }),
    ]);
    expect(
      await src.getFiringAlerts!(entity('payments-api'), testCaller().context),
    ).toEqual([]);

    const first = await fetch(src, e, now - HOUR, Date.now());
    const firing = first.events.find(
      x =>
        x.kind === 'alert' &&
        x.attributes.ruleUid === alert.ruleUid &&
        x.status === 'firing',
    )!;
    expect(firing.endTime).toBeUndefined();
    expect(JSON.parse(first.cursor!).open).toEqual([
      expect.objectContaining({ rule: alert.ruleUid, start: alert.firingAt }),
    ]);

    await waitUntil(alert.resolvedAt! + 50);
    const second = await fetch(
      src,
      e,
      Date.now() - 1000,
      Date.now(),
      first.cursor,
    );
    expect(second.events.find(x => x.id === firing.id)).toMatchObject({
      status: 'resolved',
      endTime: new Date(alert.resolvedAt!).toISOString(),
    });
    expect(JSON.parse(second.cursor!).open).toEqual([]);
    expect(await src.getFiringAlerts!(e, testCaller().context)).toEqual([]);
  });

  it('reads the alert rule list once for the fetches of several entities, or for each with 0 s', async () => {
    const listCalls = () =>
      sandbox.counters().grafana?.['GET /api/v1/provisioning/alert-rules'] ?? 0;
    const names = sandbox.scenario.services
      .filter(s => s.alertLabelSelector)
      .slice(0, 3)
      .map(s => s.name);
    expect(names).toHaveLength(3);
    for (const [settings, expected] of [
      [{}, 1],
      [{ alertRuleListSeconds: 0 }, 3],
    ] as const) {
      const src = source(settings);
      const before = listCalls();
      for (const name of names)
        await fetch(src, entity(name), now - DAY, Date.now());
      expect(listCalls() - before).toBe(expected);
    }
  });

  it('turns auth failures, rate limits, malformed bodies and hangs into statuses', async () => {
    const e = entity('payments-api');
    // A source each time: a fetch that fails on its first call leaves its rule list read in
    // flight, and the next fetch of the same source would share it.
    const failure = async (caller = testCaller()) => {
      try {
        await fetch(source(), e, now - DAY, Date.now(), undefined, caller);
      } catch (err) {
        return err;
      }
      throw new Error('expected the fetch to fail');
    };
    sandbox.setFaults('grafana', { unauthorized: true });
    expect(await failure()).toMatchObject({
      status: 'unauthorized',
      message: expect.stringContaining('dash.sources.grafana.token'),
    });
    sandbox.setFaults('grafana', { rateLimit: { rate: 1, retryAfterSec: 17 } });
    expect(await failure()).toMatchObject({
      status: 'rate-limited',
      retryAfterMs: 17_000,
    });
    sandbox.setFaults('grafana', { malformedRate: 1 });
    expect(await failure()).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/not JSON/),
    });
    sandbox.setFaults('grafana', { hangRate: 1 });
    expect(await failure(testCaller(300))).toMatchObject({
      status: 'timed-out',
    });
  });

  it('explains missing config and unreadable annotations, and picks instances', () => {
    const e = entity('payments-api');
    const unconfigured = new GrafanaSource(
      readGrafanaSettings(new ConfigReader({})),
      mockServices.logger.mock(),
    );
    expect(unconfigured.appliesTo(e)).toBe(true);
    expect(unconfigured.configurationProblem(e)).toBe(
      'Grafana is not configured: dash.sources.grafana.baseUrl and dash.sources.grafana.token are missing',
    );
    const src = source({
      instances: {
        ops: { baseUrl: 'https://ops-grafana.acme.example', token: 't' },
        broken: { baseUrl: 'https://x.example' },
      },
    });
    expect(
      src.appliesTo(
        entity('payments-api', {
          'grafana/dashboard-selector': '',
          'grafana/alert-label-selector': '',
        }),
      ),
    ).toBe(false);
    expect(
      src.configurationProblem(
        entity('payments-api', {
          'grafana/dashboard-selector': "tags @> 'x' &&",
        }),
      ),
    ).toBe(
      'The grafana/dashboard-selector annotation cannot be read: the selector ends too early',
    );
    expect(
      src.configurationProblem(
        entity('payments-api', { 'grafana/alert-label-selector': 'service' }),
      ),
    ).toMatch(
      /alert-label-selector annotation cannot be read: 'service' is not label=value/,
    );
    expect(
      src.configurationProblem(
        entity('payments-api', { 'grafana/instance': 'nope' }),
      ),
    ).toBe(
      "Grafana is not configured: there is no instance 'nope' under dash.sources.grafana.instances",
    );
    expect(
      src.configurationProblem(
        entity('payments-api', { 'grafana/instance': 'broken' }),
      ),
    ).toBe(
      'Grafana is not configured: dash.sources.grafana.instances.broken.token is missing',
    );
    const ops = entity('payments-api', { 'grafana/instance': 'ops' });
    expect(src.configurationProblem(ops)).toBeUndefined();
    // Before any fetch, the dashboards are linked through their tag.
    expect(
      src.getDeepLinks(ops, { from: new Date(0), to: new Date(1) }),
    ).toEqual([
      {
        title: 'Grafana dashboards tagged payments-api',
        url: 'https://ops-grafana.acme.example/dashboards?tag=payments-api',
      },
      {
        title: 'Grafana alert rules (service=payments-api)',
        url: 'https://ops-grafana.acme.example/alerting/list?search=label%3Aservice%3Dpayments-api',
      },
    ]);
  });
});

async function waitUntil(ms: number) {
  const wait = ms - Date.now();
  if (wait > 0) await new Promise(r => setTimeout(r, wait));
}
