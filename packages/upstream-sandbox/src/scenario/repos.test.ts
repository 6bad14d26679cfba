/*
 * The repository and PagerDuty integration ground truth: independent of the seed (repositories),
 * consistent with the files served, built on first use for 'scale', and integration keys that
 * lead back to their service.
 */
import { parse } from 'yaml';
import { ScenarioStore } from './store';
import { startSandbox } from '../sandbox';
import { FIXED_NOW, call } from '../__testUtils__/http';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

describe('repository facts and files', () => {
  const store = new ScenarioStore({
    scenario: 'empty',
    seed: 1,
    now: FIXED_NOW,
  });

  it('does not depend on the seed, on now or on the scenario kind', () => {
    const other = new ScenarioStore({
      scenario: 'demo',
      seed: 2,
      now: FIXED_NOW - 86400e3,
    });
    expect(other.scenario.github).toEqual(store.scenario.github);
  });

  it('writes every listed file, and catalog-info.yaml carries the component', () => {
    for (const facts of store.scenario.github.repos) {
      const entry = store.repos.entry(facts.owner, facts.name)!;
      const files = store.repos.files(entry);
      expect([...files.keys()].sort()).toEqual(facts.files);
      for (const [path, gen] of files)
        expect([path, gen().trim().length > 0]).toEqual([path, true]);
    }
    for (const facts of store.scenario.github.repos.filter(r => r.inCatalog)) {
      const svc = store.scenario.services.find(
        s => s.entityRef === facts.entityRef,
      )!;
      const entry = store.repos.entry(facts.owner, facts.name)!;
      const entity = parse(
        store.repos.files(entry).get('catalog-info.yaml')!(),
      );
      expect(entity.metadata).toMatchObject({
        name: svc.name,
        annotations: svc.annotations,
      });
      expect(entity.spec.owner).toBe(svc.owner);
    }
    for (const facts of store.scenario.github.repos.filter(r => !r.inCatalog))
      expect(facts.files).not.toContain('catalog-info.yaml');
  });

  it('names the Go libraries a component depends on in its go.mod', () => {
    const pay = store.repos.entry('acme', 'payments-api')!;
    const gomod = store.repos.files(pay).get('go.mod')!();
    expect(gomod).toContain('github.com/acme/go-telemetry v');
    // A service it depends on is not a library.
    expect(gomod).not.toContain('github.com/acme/ledger-service');
  });

  it("builds 'scale' repositories on first use, TypeScript every fourth, alternating Node 22 and 18", () => {
    const scale = new ScenarioStore({
      scenario: 'scale',
      services: 40,
      seed: 3,
      now: FIXED_NOW,
    });
    expect(scale.scenario.github.repos).toEqual([]);
    expect(scale.scenario.github.orgs).toEqual(['scale']);
    const node = scale.services
      .map(s => scale.repos.entry('scale', s.name)!.facts)
      .filter(f => f.nodeVersion !== undefined);
    expect(node.slice(0, 4).map(f => f.name)).toEqual([
      'svc-00001',
      'svc-00005',
      'svc-00009',
      'svc-00013',
    ]);
    expect(node.every(f => f.language === 'TypeScript')).toBe(true);
    expect(node.map(f => f.nodeVersion)).toEqual(
      node.map((_, i) => (i % 2 === 0 ? 22 : 18)),
    );
    expect(scale.repos.entry('scale', 'svc-99999')).toBeUndefined();
    expect(scale.repos.reposOf('scale')).toHaveLength(40);
  });
});

describe('PagerDuty integration keys', () => {
  it('lead back to their service, and nothing else does', () => {
    const store = new ScenarioStore({
      scenario: 'empty',
      seed: 4,
      now: FIXED_NOW,
    });
    for (const p of store.scenario.pagerduty.services) {
      expect(
        store.serviceByRoutingKey(p.integrationKey)?.pagerdutyServiceId,
      ).toBe(p.id);
      expect(store.pdIntegration(p.id)).toEqual(p);
    }
    const key = store.scenario.pagerduty.services[0].integrationKey;
    const tampered = `${key.slice(0, 5)}${
      key[5] === '0' ? '1' : '0'
    }${key.slice(6)}`;
    expect(store.serviceByRoutingKey(tampered)).toBeUndefined();
    expect(store.serviceByRoutingKey('not-a-key')).toBeUndefined();
    // The same seed gives the same keys; another seed other keys.
    const same = new ScenarioStore({
      scenario: 'empty',
      seed: 4,
      now: FIXED_NOW + 1000,
    });
    expect(same.scenario.pagerduty).toEqual(store.scenario.pagerduty);
    const other = new ScenarioStore({
      scenario: 'empty',
      seed: 5,
      now: FIXED_NOW,
    });
    expect(other.scenario.pagerduty.services[0].integrationKey).not.toBe(key);
  });

  it("are computed on first use for 'scale', where events open incidents too", async () => {
    const sb = await startSandbox({
      scenario: 'scale',
      services: 30,
      seed: 6,
      now: FIXED_NOW,
    });
    try {
      expect(sb.scenario.pagerduty.services).toEqual([]);
      const svc = sb.scenario.services[17];
      const one = await call(
        sb,
        'pagerduty',
        `/services/${svc.pagerdutyServiceId}?include[]=integrations`,
      );
      const integration = one.body.service.integrations[0];
      expect(integration.integration_key).toMatch(/^[0-9a-f]{32}$/);
      const sent = await call(sb, 'pagerduty', '/v2/enqueue', {
        method: 'POST',
        auth: false,
        body: JSON.stringify({
          routing_key: integration.integration_key,
          event_action: 'trigger',
          dedup_key: 'scale-1',
          payload: { summary: 'Queue backlog', source: 'q', severity: 'error' },
        }),
      });
      expect(sent.status).toBe(202);
      const incidents = await call(
        sb,
        'pagerduty',
        `/incidents?service_ids[]=${svc.pagerdutyServiceId}&incident_key=scale-1`,
      );
      expect(incidents.body.incidents).toHaveLength(1);
      const ci = await call(
        sb,
        'github',
        '/repos/scale/svc-00001/contents/.github/workflows/ci.yml',
      );
      expect(Buffer.from(ci.body.content, 'base64').toString()).toMatch(
        /node-version: 22$/m,
      );
      const page = await call(
        sb,
        'github',
        '/orgs/scale/repos?per_page=10&page=3',
      );
      expect(page.body).toHaveLength(10);
      expect(page.headers.get('link')).toMatch(/rel="prev"/);
    } finally {
      await sb.stop();
    }
  });
});
