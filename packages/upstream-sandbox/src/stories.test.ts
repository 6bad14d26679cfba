/*
 * The demo stories' ground truth, as the upstream APIs show it.
 */
import { startSandbox } from './sandbox';
import { Sandbox } from './types';
import { call, FIXED_NOW } from './__testUtils__/http';
import { storyQueries } from './__testUtils__/storyQueries';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

const iso = (t: number) => new Date(t).toISOString();

describe('demo stories', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ seed: 42, now: FIXED_NOW });
  });
  afterAll(() => sb.stop());
  const story = (id: string) => sb.scenario.stories.find(s => s.id === id)!;
  const count = (service: string, from: number, to: number) =>
    storyQueries(sb).count(service, from, to);

  it('payments-api bad deploy: deploy annotation, alert firing then resolved, incident escalated and resolved after the rollback', async () => {
    const s = story('payments-bad-deploy');
    expect(s.entityRef).toBe('component:default/payments-api');
    expect(s.cause).toMatchObject({
      upstream: 'github',
      kind: 'deployment',
      githubSlug: 'acme/payments-api',
      entityRef: s.entityRef,
    });
    expect(s.cause!.at).toBe(Math.floor(FIXED_NOW / 1000) * 1000 - 3 * 3600e3);
    const deploys = await call(
      sb,
      'grafana',
      `/api/annotations?from=${s.cause!.at - 60e3}&to=${
        s.cause!.at + 60e3
      }&tags=deploy&tags=payments-api`,
    );
    expect(deploys.body.map((a: any) => a.text)).toContain(
      'Deploy payments-api v2.14.0 to production',
    );
    const alerts = await call(
      sb,
      'grafana',
      `/api/annotations?type=alert&from=${s.cause!.at}&to=${
        s.incident!.resolvedAt
      }&alertUID=${s.alert!.ruleUid}`,
    );
    const states = alerts.body
      .map((a: any) => `${a.prevState}->${a.newState}`)
      .reverse();
    expect(states).toEqual([
      'Normal->Pending',
      'Pending->Alerting',
      'Alerting->Normal',
    ]);
    expect(alerts.body[0].alertName).toBe('PaymentsAPIHighErrorRate');
    const firing = alerts.body.find((a: any) => a.newState === 'Alerting');
    expect(firing.time).toBe(s.alert!.firingAt);
    expect(s.alert!.firingAt).toBeGreaterThan(s.errorSpikes[0].from);
    expect(s.incident!.triggeredAt).toBeGreaterThan(s.alert!.firingAt);
    const inc = await call(
      sb,
      'pagerduty',
      `/incidents/${s.incident!.pagerdutyId}`,
    );
    expect(inc.body.incident.status).toBe('resolved');
    const change = await call(
      sb,
      'pagerduty',
      `/services/PPAYAPI/change_events?since=${iso(
        s.cause!.at - 3600e3,
      )}&until=${iso(s.incident!.triggeredAt)}`,
    );
    const seenAs = s.causeAlsoSeenAs.find(c => c.kind === 'change_event')!;
    expect(change.body.change_events.map((c: any) => c.id)).toContain(
      seenAs.id,
    );
    // Nothing else changed on payments-api in the 6 hours before the deploy.
    const before = await call(
      sb,
      'github',
      `/repos/acme/payments-api/commits?since=${iso(
        s.cause!.at - 6 * 3600e3,
      )}&until=${iso(s.incident!.triggeredAt)}`,
    );
    expect(
      before.body.map((c: any) => c.commit.message.split('\n')[0]),
    ).toEqual([
      expect.stringMatching(
        /^Switch card tokenization to the v2 vault client \(#\d+\)$/,
      ),
    ]);
    expect(s.decoys[0].at).toBeGreaterThan(s.incident!.triggeredAt);
  });

  it('dependency outage: cart-service is paged; the cause is a change event on inventory-service; the decoys are a later commit and a downstream deploy', async () => {
    const s = story('dependency-outage');
    expect(s.entityRef).toBe('component:default/cart-service');
    expect(s.incident).toMatchObject({
      pagerdutyServiceId: 'PCARTSV',
      title: 'Cart pricing timeouts',
    });
    expect(s.cause).toMatchObject({
      upstream: 'pagerduty',
      kind: 'change_event',
      entityRef: 'component:default/inventory-service',
      pagerdutyServiceId: 'PINVNTR',
      summary: 'Reduce DB connection pool to 5',
    });
    const cart = sb.scenario.services.find(x => x.name === 'cart-service')!;
    expect(cart.dependsOn).toContain(s.cause!.entityRef);
    const incidents = await call(
      sb,
      'pagerduty',
      `/incidents?service_ids[]=PCARTSV&since=${iso(
        s.incident!.triggeredAt - 60e3,
      )}&until=${iso(s.incident!.triggeredAt + 60e3)}`,
    );
    expect(incidents.body.incidents.map((i: any) => i.title)).toEqual([
      'Cart pricing timeouts',
    ]);
    const changes = await call(
      sb,
      'pagerduty',
      `/change_events?service_ids[]=PINVNTR&since=${iso(
        s.cause!.at - 60e3,
      )}&until=${iso(s.cause!.at + 60e3)}`,
    );
    expect(changes.body.change_events).toEqual([
      expect.objectContaining({
        id: s.cause!.id,
        summary: 'Reduce DB connection pool to 5',
        source: 'deployctl',
      }),
    ]);
    expect(changes.body.change_events[0].custom_details).toMatchObject({
      old_value: 50,
      new_value: 5,
    });
    // No change on cart-service itself before the incident in the 6 hours before it.
    const cartChanges = await call(
      sb,
      'pagerduty',
      `/services/PCARTSV/change_events?since=${iso(
        s.incident!.triggeredAt - 6 * 3600e3,
      )}&until=${iso(s.incident!.triggeredAt)}`,
    );
    expect(cartChanges.body.change_events).toEqual([]);
    const commitDecoy = s.decoys.find(d => d.kind === 'commit')!;
    expect(commitDecoy.at).toBeGreaterThan(s.incident!.triggeredAt);
    const commits = await call(
      sb,
      'github',
      `/repos/acme/cart-service/commits?since=${iso(
        s.incident!.triggeredAt - 6 * 3600e3,
      )}&until=${iso(s.incident!.resolvedAt!)}`,
    );
    expect(commits.body.map((c: any) => c.sha)).toEqual([commitDecoy.id]);
    const deployDecoy = s.decoys.find(d => d.kind === 'deployment')!;
    expect(deployDecoy.entityRef).toBe('component:default/checkout-api');
    const checkout = sb.scenario.services.find(x => x.name === 'checkout-api')!;
    expect(checkout.dependsOn).toContain('component:default/cart-service');
    const deploys = await call(
      sb,
      'github',
      '/repos/acme/checkout-api/deployments?environment=production&per_page=100',
    );
    expect(deploys.body.map((d: any) => String(d.id))).toContain(
      deployDecoy.id,
    );
    // Both services' error logs spike; inventory-service's first.
    const [inv, cartSpike] = s.errorSpikes;
    expect(inv.from).toBeLessThan(cartSpike.from);
    expect(
      await count('inventory-service', inv.from, inv.from + 10 * 60e3),
    ).toBeGreaterThan(100);
    expect(await count('cart-service', inv.from, cartSpike.from)).toBeLessThan(
      5,
    );
    expect(
      await count('cart-service', cartSpike.from, cartSpike.from + 10 * 60e3),
    ).toBeGreaterThan(100);
  });

  it('quiet library go-telemetry: releases and their commits only, no deploys, no incidents, no PRs', async () => {
    const s = story('quiet-library');
    expect(s.incident).toBeUndefined();
    expect(s.cause).toBeUndefined();
    const releases = await call(
      sb,
      'github',
      '/repos/acme/go-telemetry/releases',
    );
    expect(releases.body.length).toBeGreaterThanOrEqual(3);
    expect(s.timeline.map(t => t.id).sort()).toEqual(
      releases.body.map((r: any) => String(r.id)).sort(),
    );
    expect(
      (await call(sb, 'github', '/repos/acme/go-telemetry/deployments')).body,
    ).toEqual([]);
    expect(
      (await call(sb, 'github', '/repos/acme/go-telemetry/pulls?state=all'))
        .body,
    ).toEqual([]);
    expect(
      (await call(sb, 'github', '/repos/acme/go-telemetry/actions/runs')).body
        .total_count,
    ).toBe(0);
    expect(
      (await call(sb, 'github', '/repos/acme/go-telemetry/commits')).body
        .length,
    ).toBeGreaterThan(3);
  });

  it('Kibana: the rule of each service, and its execution log showing active alerts during the spike', async () => {
    const s = story('payments-bad-deploy');
    const found = await call(
      sb,
      'kibana',
      `/api/alerting/rules/_find?search=payments-api&search_fields=name&per_page=10`,
    );
    expect(found.body.total).toBe(1);
    const rule = found.body.data[0];
    expect(rule).toMatchObject({
      name: 'payments-api error logs',
      rule_type_id: '.es-query',
      tags: ['service:payments-api', 'dash'],
    });
    const byFilter = await call(
      sb,
      'kibana',
      `/api/alerting/rules/_find?filter=${encodeURIComponent(
        'alert.attributes.tags:"service:cart-service"',
      )}`,
    );
    expect(byFilter.body.data.map((r: any) => r.name)).toEqual([
      'cart-service error logs',
    ]);
    const log = await call(
      sb,
      'kibana',
      `/internal/alerting/rule/${rule.id}/_execution_log?date_start=${iso(
        s.cause!.at,
      )}&date_end=${iso(
        s.incident!.resolvedAt!,
      )}&per_page=100&sort=${encodeURIComponent(
        '[{"timestamp":{"order":"asc"}}]',
      )}`,
    );
    expect(log.body.total).toBeGreaterThan(5);
    const active = log.body.data
      .filter((e: any) => e.num_active_alerts > 0)
      .map((e: any) => Date.parse(e.timestamp));
    expect(active.length).toBeGreaterThan(3);
    expect(Math.min(...active)).toBeGreaterThan(s.errorSpikes[0].from);
    expect(
      log.body.data.filter((e: any) => e.num_new_alerts === 1),
    ).toHaveLength(1);
    expect(
      (
        await call(
          sb,
          'kibana',
          `/internal/alerting/rule/${rule.id}/_execution_log`,
        )
      ).status,
    ).toBe(400);
    // Writes need kbn-xsrf.
    expect(
      (
        await call(sb, 'kibana', `/api/alerting/rule/${rule.id}/_mute_all`, {
          method: 'POST',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(sb, 'kibana', `/api/alerting/rule/${rule.id}/_mute_all`, {
          method: 'POST',
          headers: { 'kbn-xsrf': 'true' },
        })
      ).status,
    ).toBe(204);
    expect(
      (await call(sb, 'kibana', `/api/alerting/rule/${rule.id}`)).body.mute_all,
    ).toBe(true);
  });

  it('PagerDuty on-call: weekly shifts per escalation level, current and earliest', async () => {
    const svc = (await call(sb, 'pagerduty', '/services/PPAYAPI')).body.service;
    const policy = svc.escalation_policy.id;
    const now = await call(
      sb,
      'pagerduty',
      `/oncalls?escalation_policy_ids[]=${policy}`,
    );
    expect(now.body.oncalls.map((o: any) => o.escalation_level)).toEqual([
      1, 2,
    ]);
    const week = await call(
      sb,
      'pagerduty',
      `/oncalls?escalation_policy_ids[]=${policy}&since=${iso(
        FIXED_NOW - 14 * 86400e3,
      )}&until=${iso(FIXED_NOW)}`,
    );
    const level1 = week.body.oncalls.filter(
      (o: any) => o.escalation_level === 1,
    );
    expect(level1.length).toBeGreaterThanOrEqual(2);
    for (const o of level1)
      expect(Date.parse(o.end) - Date.parse(o.start)).toBe(7 * 86400e3);
    const earliest = await call(
      sb,
      'pagerduty',
      `/oncalls?escalation_policy_ids[]=${policy}&earliest=true&since=${iso(
        FIXED_NOW - 28 * 86400e3,
      )}&until=${iso(FIXED_NOW)}`,
    );
    const keys = earliest.body.oncalls.map(
      (o: any) => `${o.user.id}/${o.escalation_level}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    // The acknowledging user of the story was on call at level 1 then.
    const s = story('payments-bad-deploy');
    const entries = (
      await call(
        sb,
        'pagerduty',
        `/incidents/${s.incident!.pagerdutyId}/log_entries`,
      )
    ).body.log_entries;
    const ack = entries.find((e: any) => e.type === 'acknowledge_log_entry');
    const then = await call(
      sb,
      'pagerduty',
      `/oncalls?escalation_policy_ids[]=${policy}&since=${iso(
        s.incident!.triggeredAt,
      )}&until=${iso(s.incident!.triggeredAt + 1000)}`,
    );
    expect(
      then.body.oncalls.find((o: any) => o.escalation_level === 1).user.id,
    ).toBe(ack.agent.id);
  });
});
