/*
 * The scale scenario at its largest, 10,000 services: the calls the DASH sources make to
 * pre-warm one entity's feeds (PagerDuty, GitHub, Grafana, Kibana and Elasticsearch, as
 * plugins/dash-backend-module-* make them) and to read its firing alerts answer that service's
 * data and generate it alone, not every service (which took minutes per call).
 */
import { startSandbox } from './sandbox';
import { ScenarioStore } from './scenario/store';
import { Sandbox, UpstreamName } from './types';
import { call, FIXED_NOW } from './__testUtils__/http';

jest.setTimeout(60_000);

const DAY = 24 * 3600e3;
const SINCE = FIXED_NOW - 7 * DAY;

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({
    scenario: 'scale',
    services: 10_000,
    seed: 11,
    now: FIXED_NOW,
  });
});
afterAll(async () => {
  await sb?.stop();
});

async function ok(upstream: UpstreamName, path: string, init?: RequestInit) {
  const res = await call(sb, upstream, path, init);
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  return res.body;
}

describe('scale scenario with 10,000 services', () => {
  it("answers one service's pre-warm calls from that service alone", async () => {
    const svc = sb.scenario.services[7777];
    expect(svc.name).toBe('svc-07777');
    const before = sb.generatedServices();
    const started = Date.now();
    const since = new Date(SINCE).toISOString();
    const until = new Date(FIXED_NOW).toISOString();

    // PagerDuty: the service, its incidents (by service id), each one's log entries and a
    // re-read by id, its change events and its escalation policy's on-calls.
    const pd = svc.pagerdutyServiceId!;
    const { service } = await ok('pagerduty', `/services/${pd}`);
    expect(service.name).toBe('svc-07777');
    const { incidents } = await ok(
      'pagerduty',
      `/incidents?service_ids[]=${pd}&since=${since}&until=${until}&time_zone=UTC&sort_by=created_at:desc&include[]=conference_bridge&limit=100&offset=0`,
    );
    expect(incidents.length).toBeGreaterThan(0);
    expect(new Set(incidents.map((i: any) => i.service.id))).toEqual(
      new Set([pd]),
    );
    for (const inc of incidents.slice(0, 3)) {
      const log = await ok(
        'pagerduty',
        `/incidents/${inc.id}/log_entries?is_overview=true&time_zone=UTC&limit=100&offset=0`,
      );
      expect(log.log_entries.length).toBeGreaterThan(0);
      expect(log.log_entries.every((e: any) => e.incident.id === inc.id)).toBe(
        true,
      );
      const again = await ok('pagerduty', `/incidents/${inc.id}`);
      expect(again.incident.id).toBe(inc.id);
    }
    const changes = await ok(
      'pagerduty',
      `/services/${pd}/change_events?since=${since}&until=${until}&limit=100&offset=0`,
    );
    expect(changes.change_events.length).toBeGreaterThan(0);
    expect(
      changes.change_events.every((c: any) => c.services[0].id === pd),
    ).toBe(true);
    const oncalls = await ok(
      'pagerduty',
      `/oncalls?escalation_policy_ids[]=${service.escalation_policy.id}&since=${since}&until=${until}&time_zone=UTC&limit=100&offset=0`,
    );
    expect(oncalls.oncalls.length).toBeGreaterThan(0);

    // GitHub: the repository and its lists.
    const repo = `/repos/${svc.githubSlug}`;
    expect((await ok('github', repo)).full_name).toBe('scale/svc-07777');
    const commits = await ok('github', `${repo}/commits?since=${since}`);
    expect(commits.length).toBeGreaterThan(0);
    await ok(
      'github',
      `${repo}/pulls?state=closed&sort=updated&direction=desc&per_page=100`,
    );
    await ok('github', `${repo}/releases?per_page=100`);
    const deployments = await ok('github', `${repo}/deployments?per_page=100`);
    expect(deployments.length).toBeGreaterThan(0);
    await ok(
      'github',
      `${repo}/deployments/${deployments[0].id}/statuses?per_page=100`,
    );
    const runs = await ok(
      'github',
      `${repo}/actions/runs?created=${encodeURIComponent(`>=${since}`)}`,
    );
    expect(runs.workflow_runs.length).toBeGreaterThan(0);

    // Grafana: dashboards by tag, every alert rule (the source picks its own by label), the
    // annotations of its dashboards, tag and rules, and the firing alerts.
    const dashboards = await ok(
      'grafana',
      `/api/search?type=dash-db&tag=${svc.grafanaTag}&limit=1000&page=1`,
    );
    expect(dashboards.map((d: any) => d.title)).toEqual([
      'Svc 07777 overview',
      'Svc 07777 SLOs',
    ]);
    const rules = await ok('grafana', '/api/v1/provisioning/alert-rules');
    expect(rules).toHaveLength(20_000);
    const own = rules.filter((r: any) => r.labels.service === 'svc-07777');
    expect(own.map((r: any) => r.title)).toEqual([
      'Svc07777HighErrorRate',
      'Svc07777HighLatency',
    ]);
    const window = `from=${SINCE}&to=${FIXED_NOW}&limit=100`;
    for (const d of dashboards)
      await ok(
        'grafana',
        `/api/annotations?dashboardUID=${d.uid}&type=annotation&${window}`,
      );
    const tagged = await ok(
      'grafana',
      `/api/annotations?tags=${svc.grafanaTag}&type=annotation&${window}`,
    );
    expect(tagged.length).toBeGreaterThan(0);
    let alertAnnotations = 0;
    for (const r of own) {
      const found = await ok(
        'grafana',
        `/api/annotations?alertUID=${r.uid}&type=alert&${window}`,
      );
      expect(found.every((a: any) => a.alertUID === r.uid)).toBe(true);
      alertAnnotations += found.length;
    }
    expect(alertAnnotations).toBeGreaterThan(0);
    // The scale scenario's alerts have all resolved (see the test below).
    expect(
      await ok(
        'grafana',
        '/api/alertmanager/grafana/api/v2/alerts?active=true&silenced=false&inhibited=false',
      ),
    ).toEqual([]);

    // Kibana: the rules tagged for the service and their execution log; Elasticsearch: the
    // error-log histogram of its index pattern.
    const filter = encodeURIComponent(
      'alert.attributes.tags:"service:svc-07777"',
    );
    const found = await ok(
      'kibana',
      `/api/alerting/rules/_find?per_page=100&page=1&filter=${filter}&sort_field=name&sort_order=asc`,
    );
    expect(found.total).toBe(1);
    expect(found.data.map((r: any) => r.name)).toEqual([
      'svc-07777 error logs',
    ]);
    const executions = await ok(
      'kibana',
      `/internal/alerting/rule/${found.data[0].id}/_execution_log?date_start=${since}&date_end=${until}&per_page=100&page=1`,
    );
    expect(executions.total).toBeGreaterThan(0);
    const histogram = await ok(
      'elasticsearch',
      `/${encodeURIComponent(svc.esIndexPattern!)}/_search`,
      {
        method: 'POST',
        body: JSON.stringify({
          size: 0,
          track_total_hits: false,
          query: {
            bool: {
              filter: [
                {
                  range: {
                    '@timestamp': {
                      gte: SINCE,
                      lt: FIXED_NOW,
                      format: 'epoch_millis',
                    },
                  },
                },
                { query_string: { query: svc.kibanaLogQuery } },
              ],
            },
          },
          aggs: {
            errors: {
              date_histogram: {
                field: '@timestamp',
                fixed_interval: '1h',
                min_doc_count: 0,
              },
            },
          },
        }),
      },
    );
    const errors = histogram.aggregations.errors.buckets.reduce(
      (n: number, b: any) => n + b.doc_count,
      0,
    );
    expect(errors).toBeGreaterThan(0);

    // svc-07777 is generated (once); no other service had to be.
    expect(sb.generatedServices() - before).toBeLessThan(10);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('lists dashboards, alert rules and Kibana rules without generating the services', () => {
    const store = new ScenarioStore({
      scenario: 'scale',
      services: 40,
      seed: 11,
      now: FIXED_NOW,
    });
    const statics = store.services.map(s => store.staticData(s.index));
    expect(store.generated).toBe(0);
    for (const s of store.services) {
      const data = store.data(s.index);
      expect(statics[s.index]).toEqual({
        dashboards: data.dashboards,
        alertRules: data.alertRules,
        kibanaRules: data.kibanaRules,
      });
      // Firing alerts are read from the services in memory only: a generated scale service's
      // alerts have all resolved before the anchor (its incidents end 2 hours before it).
      for (const w of data.alertWindows)
        expect(w.resolvedAt).toBeLessThanOrEqual(store.ctx.anchor);
    }
    expect(store.generated).toBe(40);
  });
});
