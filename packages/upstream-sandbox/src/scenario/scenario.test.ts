/*
 * The scenarios: services read from the catalog annotations, determinism (same seed and now give
 * the same data and answers), lazily generated scale services, and the empty scenario.
 */
import path from 'node:path';
import { ScenarioStore, scaleService } from './store';
import { startSandbox } from '../sandbox';
import { call, FIXED_NOW } from '../__testUtils__/http';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

describe('scenario', () => {
  it('reads the demo services and their annotations from catalog-info', () => {
    const { scenario } = new ScenarioStore({ seed: 42, now: FIXED_NOW });
    const payments = scenario.services.find(s => s.name === 'payments-api')!;
    expect(payments).toMatchObject({
      entityRef: 'component:default/payments-api',
      pagerdutyServiceId: 'PPAYAPI',
      githubSlug: 'acme/payments-api',
      grafanaDashboardSelector: "tags @> 'payments-api'",
      grafanaTag: 'payments-api',
      alertLabelSelector: 'service=payments-api',
      esIndexPattern: 'logs-payments-*',
      kibanaLogQuery: 'service.name:"payments-api" AND log.level:error',
      kibanaDataViewId: 'logs-payments',
      owner: 'group:default/team-payments',
    });
    const cart = scenario.services.find(s => s.name === 'cart-service')!;
    expect(cart.dependsOn).toEqual(['component:default/inventory-service']);
    const lib = scenario.services.find(s => s.name === 'go-telemetry')!;
    expect(lib).toMatchObject({
      type: 'library',
      githubSlug: 'acme/go-telemetry',
      pagerdutyServiceId: undefined,
    });
    expect(scenario.stories.map(s => s.id)).toEqual([
      'payments-bad-deploy',
      'dependency-outage',
      'quiet-library',
      'early-onset',
      'dependency-first',
      'flag-turned-off',
      'slow-burn',
    ]);
    expect(scenario.live).toEqual({
      entityRef: 'component:default/checkout-api',
      pagerdutyServiceId: 'PCHKOUT',
      githubSlug: 'acme/checkout-api',
    });
  });

  it('is deterministic: the same seed and now give deep-equal scenarios and identical answers', async () => {
    const a = new ScenarioStore({ seed: 9, now: FIXED_NOW });
    const b = new ScenarioStore({ seed: 9, now: FIXED_NOW });
    expect(a.scenario).toEqual(b.scenario);
    for (const svc of a.scenario.services)
      expect(a.data(svc.index)).toEqual(b.data(svc.index));
    const c = new ScenarioStore({ seed: 10, now: FIXED_NOW });
    expect(c.scenario).not.toEqual(a.scenario);
    expect(c.data(0).commits.map(x => x.sha)).not.toEqual(
      a.data(0).commits.map(x => x.sha),
    );

    const s1 = await startSandbox({ seed: 9, now: FIXED_NOW });
    const s2 = await startSandbox({ seed: 9, now: FIXED_NOW });
    try {
      const strip = (text: string, sb: { urls: Record<string, string> }) =>
        Object.values(sb.urls).reduce(
          (t, u) => t.split(u).join('<base>'),
          text,
        );
      for (const [upstream, p] of [
        ['pagerduty', '/incidents?date_range=all&limit=100'],
        ['github', '/repos/acme/cart-service/commits?per_page=100'],
        [
          'grafana',
          `/api/annotations?from=${
            FIXED_NOW - 3 * 86400e3
          }&to=${FIXED_NOW}&limit=1000`,
        ],
        [
          'elasticsearch',
          '/logs-storefront-*/_search?size=50&sort=@timestamp:desc',
        ],
      ] as const) {
        const r1 = await call(s1, upstream, p);
        const r2 = await call(s2, upstream, p);
        expect(r1.status).toBe(200);
        const body = (r: typeof r1, sb: typeof s1) =>
          JSON.parse(strip(r.text, sb).replace(/"took":\d+/, '"took":0'));
        expect(body(r1, s1)).toEqual(body(r2, s2));
      }
    } finally {
      await Promise.all([s1.stop(), s2.stop()]);
    }
  });

  it('anchors the stories on now, so the last 24 hours always hold them', () => {
    for (const now of [FIXED_NOW, Date.UTC(2031, 6, 4, 3, 30)]) {
      const { scenario } = new ScenarioStore({ seed: 42, now });
      for (const story of scenario.stories.filter(s => s.incident)) {
        expect(story.incident!.triggeredAt).toBeLessThan(now);
        expect(story.incident!.triggeredAt).toBeGreaterThan(now - 24 * 3600e3);
      }
    }
  });

  it('generates scale services lazily: 10,000 start fast and each is a function of (seed, index)', () => {
    const t0 = Date.now();
    const big = new ScenarioStore({
      scenario: 'scale',
      services: 10_000,
      seed: 3,
      now: FIXED_NOW,
    });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(big.scenario.services).toHaveLength(10_000);
    expect(big.scenario.services[42]).toEqual(scaleService(42));
    expect(big.scenario.services[42]).toMatchObject({
      name: 'svc-00042',
      githubSlug: 'scale/svc-00042',
      esIndexPattern: 'logs-svc-00042-*',
      alertLabelSelector: 'service=svc-00042',
    });
    const small = new ScenarioStore({
      scenario: 'scale',
      services: 50,
      seed: 3,
      now: FIXED_NOW,
    });
    // Service 42 is the same whether 50 or 10,000 services exist, and whatever was generated before.
    big.data(7);
    expect(small.data(42)).toEqual(big.data(42));
    const perDay = small.data(42).commits.length / 14;
    expect(perDay).toBeGreaterThan(5);
    expect(perDay).toBeLessThan(15);
    expect(
      () => new ScenarioStore({ scenario: 'scale', services: 10_001 }),
    ).toThrow(/services must be/);
  });

  it('has services but no events in the empty scenario', async () => {
    const sb = await startSandbox({
      scenario: 'empty',
      seed: 1,
      now: FIXED_NOW,
    });
    try {
      expect(sb.scenario.services.length).toBeGreaterThan(5);
      expect(sb.scenario.stories).toEqual([]);
      expect(
        (await call(sb, 'pagerduty', '/services')).body.services.length,
      ).toBeGreaterThan(5);
      expect(
        (await call(sb, 'pagerduty', '/incidents?date_range=all')).body
          .incidents,
      ).toEqual([]);
      expect(
        (await call(sb, 'github', '/repos/acme/payments-api/commits')).body,
      ).toEqual([]);
      expect(
        (await call(sb, 'github', '/repos/acme/payments-api')).status,
      ).toBe(200);
      expect(
        (await call(sb, 'elasticsearch', '/logs-*/_search')).body.hits.total
          .value,
      ).toBe(0);
      expect(
        (await call(sb, 'grafana', '/api/search?tag=payments-api')).body,
      ).toHaveLength(2);
    } finally {
      await sb.stop();
    }
  });

  it('reads another catalog folder and says clearly when it is missing', () => {
    expect(
      () =>
        new ScenarioStore({
          catalogDir: path.join('/nonexistent', 'catalog-info'),
        }),
    ).toThrow(/catalog directory .* does not exist/);
  });
});
