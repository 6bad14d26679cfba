/*
 * The likely-cause stories' ground truth (scenario/causeStories.ts), as the upstream APIs show
 * it: each story's trap is really in the data (an onset well before the page, a dependency that
 * went bad first, a flag turned back off, a slow burn).
 */
import { startSandbox } from './sandbox';
import { Sandbox } from './types';
import { call, FIXED_NOW } from './__testUtils__/http';
import { storyQueries } from './__testUtils__/storyQueries';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

const MIN = 60e3;
const HOUR = 3600e3;

describe('likely-cause stories', () => {
  let sb: Sandbox;
  let q: ReturnType<typeof storyQueries>;
  beforeAll(async () => {
    sb = await startSandbox({ seed: 42, now: FIXED_NOW });
    q = storyQueries(sb);
  });
  afterAll(() => sb.stop());
  const story = (id: string) => sb.scenario.stories.find(s => s.id === id)!;
  const count = (service: string, from: number, to: number) =>
    q.count(service, from, to);
  const alertStates = (uid: string, from: number, to: number) =>
    q.alertStates(uid, from, to);
  const changeEvents = (pd: string, from: number, to: number) =>
    q.changeEvents(pd, from, to);

  it('early onset: notification-service errors begin 15 min after a deploy and 50 min before the page; a harmless deploy lands in between', async () => {
    const s = story('early-onset');
    expect(s.entityRef).toBe('component:default/notification-service');
    const [cause, decoy] = [s.cause!, s.decoys[0]];
    const page = s.incident!.triggeredAt;
    expect(cause).toMatchObject({
      kind: 'deployment',
      githubSlug: 'acme/notification-service',
    });
    expect(s.onset! - cause.at).toBe(15 * MIN);
    expect(page - s.onset!).toBeGreaterThanOrEqual(40 * MIN);
    expect(page - s.onset!).toBeLessThanOrEqual(60 * MIN);
    expect(decoy).toMatchObject({ kind: 'deployment', entityRef: s.entityRef });
    expect(decoy.at).toBeGreaterThan(s.onset!);
    expect(decoy.at).toBeLessThan(page);
    const deploys = await call(
      sb,
      'github',
      '/repos/acme/notification-service/deployments?environment=production&per_page=100',
    );
    const ids = deploys.body.map((d: any) => String(d.id));
    expect(ids).toEqual(
      expect.arrayContaining([cause.id, decoy.id, s.fix!.id]),
    );
    // Nothing before the onset, a trickle from it on, well before any alert fires.
    expect(
      await count('notification-service', cause.at, s.onset!),
    ).toBeLessThan(3);
    expect(
      await count('notification-service', s.onset!, s.onset! + 10 * MIN),
    ).toBeGreaterThan(20);
    const latencyUid = s.timeline.find(t => t.kind === 'alert_firing')!.id!;
    const latency = await alertStates(
      latencyUid,
      s.onset!,
      s.incident!.resolvedAt!,
    );
    expect(latency.map(a => a.state)).toEqual([
      'Normal->Pending',
      'Pending->Alerting',
      'Alerting->Normal',
    ]);
    expect(latency[1].at).toBeLessThan(decoy.at);
    // Both deploys' change events, and the revert's pull request.
    const changes = await changeEvents('PNOTIFY', cause.at, page);
    expect(changes.map(c => c.id)).toEqual([
      s.causeAlsoSeenAs[0].id,
      s.decoys[1].id,
    ]);
    const pulls = await call(
      sb,
      'github',
      '/repos/acme/notification-service/pulls?state=all&per_page=100',
    );
    expect(pulls.body.map((p: any) => p.title)).toContain(
      'Revert "Send push notifications through the HTTP/2 APNs client"',
    );
  });

  it("dependency first: fraud-detector deploys and goes bad before payments-api's errors; payments-api's own closer change leaves no trail", async () => {
    const s = story('dependency-first');
    expect(s.entityRef).toBe('component:default/payments-api');
    expect(s.cause).toMatchObject({
      kind: 'deployment',
      entityRef: 'component:default/fraud-detector',
      githubSlug: 'acme/fraud-detector',
    });
    const payments = sb.scenario.services.find(x => x.name === 'payments-api')!;
    expect(payments.dependsOn).toContain(s.cause!.entityRef);
    const [fraudSpike, paymentsSpike] = s.errorSpikes;
    const decoy = s.decoys[0];
    const fraudAlert = s.timeline.find(
      t => t.kind === 'alert_firing' && t.entityRef === s.cause!.entityRef,
    )!;
    // The order that tells it: the change, its own signals, the closer decoy, payments-api's errors.
    const order = [
      s.cause!.at,
      fraudSpike.from,
      fraudAlert.at,
      decoy.at,
      paymentsSpike.from,
      s.incident!.triggeredAt,
    ];
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(
      await count(
        'fraud-detector',
        fraudSpike.from,
        fraudSpike.from + 10 * MIN,
      ),
    ).toBeGreaterThan(100);
    expect(
      await count('payments-api', decoy.at, paymentsSpike.from),
    ).toBeLessThan(3);
    expect(
      await count(
        'payments-api',
        paymentsSpike.from,
        paymentsSpike.from + 10 * MIN,
      ),
    ).toBeGreaterThan(100);
    expect(
      (
        await alertStates(fraudAlert.id!, s.cause!.at, s.incident!.resolvedAt!)
      )[1],
    ).toEqual({ at: fraudAlert.at, state: 'Pending->Alerting' });
    // payments-api's only change in the 6 hours before the page is the decoy.
    const changes = await changeEvents(
      'PPAYAPI',
      s.incident!.triggeredAt - 6 * HOUR,
      s.incident!.triggeredAt,
    );
    expect(changes.map(c => [c.id, c.custom_details.change_type])).toEqual([
      [decoy.id, 'config'],
    ]);
    const fraud = await changeEvents(
      'PFRAUDD',
      s.cause!.at,
      s.incident!.resolvedAt!,
    );
    expect(fraud.map(c => c.custom_details.rollback ?? 'deploy')).toEqual([
      'deploy',
      'true',
    ]);
  });

  it('flag turned off: the flag turned on breaks web-storefront, turned back off ends it; a deploy an hour before is harmless', async () => {
    const s = story('flag-turned-off');
    expect(s.entityRef).toBe('component:default/web-storefront');
    expect(s.cause).toMatchObject({
      upstream: 'pagerduty',
      kind: 'change_event',
      pagerdutyServiceId: 'PWEBSTR',
    });
    const deploy = s.decoys[0];
    expect(deploy.kind).toBe('deployment');
    expect(s.cause!.at - deploy.at).toBeGreaterThanOrEqual(60 * MIN);
    const changes = await changeEvents(
      'PWEBSTR',
      deploy.at,
      s.incident!.resolvedAt!,
    );
    expect(changes.map(c => c.id)).toEqual([
      s.decoys[1].id,
      s.cause!.id,
      s.fix!.id,
    ]);
    const [, on, off] = changes;
    expect(on.custom_details).toMatchObject({
      change_type: 'feature-flag',
      flag: 'recommendations-v2',
      from: 'off',
      to: 'on',
    });
    expect(off.custom_details).toMatchObject({
      change_type: 'feature-flag',
      flag: 'recommendations-v2',
      from: 'on',
      to: 'off',
      reverts: on.id,
    });
    // Errors right after the flag, none before it since the deploy, and the incident resolves
    // minutes after the flag is off.
    expect(await count('web-storefront', deploy.at, s.cause!.at)).toBeLessThan(
      3,
    );
    expect(
      await count('web-storefront', s.onset!, s.onset! + 10 * MIN),
    ).toBeGreaterThan(100);
    const offAt = s.fix!.at;
    expect(s.incident!.triggeredAt).toBeLessThan(offAt);
    expect(s.incident!.resolvedAt! - offAt).toBeLessThanOrEqual(10 * MIN);
    const inc = await call(
      sb,
      'pagerduty',
      `/incidents/${s.incident!.pagerdutyId}`,
    );
    expect(inc.body.incident.status).toBe('resolved');
  });

  it('slow burn: a deploy, a memory warning firing from an hour after it for hours, then the page 7 h after the deploy', async () => {
    const s = story('slow-burn');
    expect(s.entityRef).toBe('component:default/notification-service');
    const page = s.incident!.triggeredAt;
    expect(page - s.cause!.at).toBeGreaterThanOrEqual(6 * HOUR);
    expect(page - s.cause!.at).toBeLessThanOrEqual(10 * HOUR);
    const rules = (
      await call(sb, 'grafana', '/api/v1/provisioning/alert-rules')
    ).body;
    const memory = rules.find(
      (r: any) => r.title === 'NotificationServiceHighMemory',
    );
    expect(memory.labels).toMatchObject({
      service: 'notification-service',
      severity: 'warning',
    });
    expect(
      (
        await call(
          sb,
          'grafana',
          `/api/v1/provisioning/alert-rules/${memory.uid}`,
        )
      ).status,
    ).toBe(200);
    const states = await alertStates(
      memory.uid,
      s.cause!.at,
      s.incident!.resolvedAt!,
    );
    expect(states.map(a => a.state)).toEqual([
      'Normal->Pending',
      'Pending->Alerting',
      'Alerting->Normal',
    ]);
    expect(states[1].at).toBe(s.onset);
    expect(s.onset! - s.cause!.at).toBe(HOUR);
    expect(states[2].at).toBeGreaterThan(page);
    // A critical alert and the errors only at the end.
    expect(s.alert).toMatchObject({
      alertName: 'NotificationServiceHighErrorRate',
    });
    expect(page - s.alert!.firingAt).toBeLessThan(10 * MIN);
    expect(
      await count('notification-service', s.cause!.at, page - 30 * MIN),
    ).toBeLessThan(10);
    // No other change on notification-service from the deploy to the page.
    const deploys = (
      await call(
        sb,
        'github',
        '/repos/acme/notification-service/deployments?environment=production&per_page=100',
      )
    ).body.filter(
      (d: any) =>
        Date.parse(d.created_at) >= s.cause!.at - 6 * HOUR &&
        Date.parse(d.created_at) <= page,
    );
    expect(deploys.map((d: any) => String(d.id))).toEqual([s.cause!.id]);
    const changes = await changeEvents('PNOTIFY', s.cause!.at - 6 * HOUR, page);
    expect(changes.map(c => c.id)).toEqual([s.causeAlsoSeenAs[0].id]);
  });
});
