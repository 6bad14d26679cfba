/*
 * The live story: events appear in the APIs only once their time has passed.
 */
import { startSandbox } from './sandbox';
import { waitFor } from './http/server';
import { call } from './__testUtils__/http';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

describe('replayLive', () => {
  it('plays deploy, errors, alert, incident, rollback and resolve on checkout-api, step by step', async () => {
    const sb = await startSandbox({ seed: 42 });
    try {
      const stepMs = 250;
      const replay = sb.replayLive({ stepMs });
      const { story } = replay;
      expect(story.entityRef).toBe('component:default/checkout-api');
      expect(replay.endsAt - replay.startedAt).toBe(7 * stepMs);
      const incidentId = story.incident!.pagerdutyId;
      const incident = () => call(sb, 'pagerduty', `/incidents/${incidentId}`);
      // Before step 3 the incident does not exist yet.
      expect((await incident()).status).toBe(404);
      const deploys = await call(
        sb,
        'github',
        '/repos/acme/checkout-api/deployments?per_page=1',
      );
      expect(String(deploys.body[0].id)).toBe(story.cause!.id);
      expect(
        await waitFor(() => Date.now() >= story.incident!.triggeredAt, 5000),
      ).toBe(true);
      const triggered = await incident();
      expect(triggered.status).toBe(200);
      expect(triggered.body.incident.status).toBe('triggered');
      const alerts = await call(
        sb,
        'grafana',
        '/api/alertmanager/grafana/api/v2/alerts?filter=service%3D%22checkout-api%22',
      );
      expect(alerts.body.map((a: any) => a.labels.alertname)).toEqual([
        story.alert!.alertName,
      ]);
      expect(
        await waitFor(
          () => Date.now() >= story.incident!.acknowledgedAt!,
          5000,
        ),
      ).toBe(true);
      expect((await incident()).body.incident.status).toBe('acknowledged');
      expect(await waitFor(() => Date.now() >= replay.endsAt + 20, 5000)).toBe(
        true,
      );
      expect((await incident()).body.incident.status).toBe('resolved');
      const after = await call(
        sb,
        'github',
        '/repos/acme/checkout-api/deployments?per_page=2',
      );
      expect(after.body[0].description).toMatch(/^Roll back to /);
      expect(
        (await call(sb, 'grafana', '/api/prometheus/grafana/api/v1/alerts'))
          .body.data.alerts,
      ).toEqual([]);
      const errors = await call(
        sb,
        'elasticsearch',
        '/logs-storefront-*/_search',
        {
          method: 'POST',
          body: JSON.stringify({
            size: 0,
            query: {
              bool: {
                filter: [
                  {
                    query_string: {
                      query: 'service.name:"checkout-api" AND log.level:error',
                    },
                  },
                  { range: { '@timestamp': { gte: replay.startedAt } } },
                ],
              },
            },
          }),
        },
      );
      expect(errors.body.hits.total.value).toBe(60);
      // The admin endpoint starts another run with new ids.
      const res = await fetch(`${sb.urls.admin}/replay`, {
        method: 'POST',
        body: JSON.stringify({ stepMs: 1000 }),
      });
      const second = await res.json();
      expect(second.story.incident.pagerdutyId).not.toBe(incidentId);
      expect(second.story.incident.incidentNumber).toBe(
        story.incident!.incidentNumber + 1,
      );
      expect(
        (
          await fetch(`${sb.urls.admin}/replay`, {
            method: 'POST',
            body: JSON.stringify({ stepMs: -1 }),
          })
        ).status,
      ).toBe(400);
    } finally {
      await sb.stop();
    }
  });
});
