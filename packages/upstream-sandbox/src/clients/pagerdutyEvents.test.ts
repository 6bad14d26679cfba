/*
 * The PagerDuty Events API v2 on the sandbox's PagerDuty port (/v2/enqueue, /v2/change/enqueue),
 * with the integration keys of the ground truth, and the REST services list that now also holds
 * services no catalog entity names. pdjs' event helpers always call https://<server>, so events
 * go through its generic api() with the `url` option (the Authorization header it adds is
 * ignored) or plain fetch; the REST reads go through pdjs as elsewhere.
 */
import { api } from '@pagerduty/pdjs';
import { startSandbox } from '../sandbox';
import { Sandbox } from '../types';
import { FIXED_NOW, call } from '../__testUtils__/http';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

describe('PagerDuty Events API v2 and the services list', () => {
  let sb: Sandbox;
  const pd = () => api({ token: sb.tokens.pagerduty });
  const keyOf = (id: string) =>
    sb.scenario.pagerduty.services.find(s => s.id === id)!.integrationKey;
  /** POST to the Events API without any token. */
  const enqueue = (body: unknown, path = '/v2/enqueue') =>
    call(sb, 'pagerduty', path, {
      method: 'POST',
      auth: false,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const incidentsOf = async (serviceId: string) =>
    (
      await pd().get('/incidents', {
        url: `${sb.urls.pagerduty}/incidents?service_ids[]=${serviceId}&statuses[]=triggered&statuses[]=acknowledged&statuses[]=resolved`,
      })
    ).data.incidents as any[];

  beforeAll(async () => {
    sb = await startSandbox({
      seed: 13,
      now: FIXED_NOW,
      rateLimits: { pagerdutyPerMinute: 100_000 },
    });
  });
  afterAll(() => sb?.stop());

  it('gives every PagerDuty service an Events API v2 integration key, and lists 2-3 services no catalog entity names', async () => {
    const truth = sb.scenario.pagerduty.services;
    const catalogIds = sb.scenario.services
      .map(s => s.pagerdutyServiceId)
      .filter(Boolean);
    expect(truth.filter(s => s.inCatalog).map(s => s.id)).toEqual(catalogIds);
    const unowned = truth.filter(s => !s.inCatalog);
    expect(unowned.length).toBeGreaterThanOrEqual(2);
    expect(unowned.length).toBeLessThanOrEqual(3);
    expect(unowned.map(s => s.id)).toContain('PLEGACY');
    for (const s of unowned) expect(s.entityRef).toBeUndefined();
    for (const s of truth) expect(s.integrationKey).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(truth.map(s => s.integrationKey)).size).toBe(truth.length);
    expect(new Set(truth.map(s => s.integrationId)).size).toBe(truth.length);

    // Paged like PagerDuty: limit, offset, more, total.
    const ids: string[] = [];
    let res = await pd().get('/services', {
      url: `${sb.urls.pagerduty}/services`,
      data: { limit: 4, total: true },
    });
    expect(res.data.total).toBe(truth.length);
    ids.push(...res.data.services.map((s: any) => s.id));
    for (let guard = 0; res.data.more && guard < 10; guard++) {
      res = await res.next!();
      expect(res.data.limit).toBe(4);
      ids.push(...res.data.services.map((s: any) => s.id));
    }
    expect(res.data.more).toBe(false);
    expect(ids.sort()).toEqual(truth.map(s => s.id).sort());

    // include[]=integrations: the integration with its key; without it, a reference.
    const legacy = await pd().get('/services/PLEGACY', {
      url: `${sb.urls.pagerduty}/services/PLEGACY?include[]=integrations`,
    });
    const plain = truth.find(s => s.id === 'PLEGACY')!;
    expect(legacy.data.service.name).toBe(plain.name);
    expect(legacy.data.service.integrations).toEqual([
      expect.objectContaining({
        id: plain.integrationId,
        type: 'events_api_v2_inbound_integration',
        integration_key: plain.integrationKey,
      }),
    ]);
    const ref = await call(sb, 'pagerduty', '/services/PPAYAPI');
    expect(ref.body.service.integrations[0]).not.toHaveProperty(
      'integration_key',
    );
    expect(ref.body.service.integrations[0].id).toBe(
      truth.find(s => s.id === 'PPAYAPI')!.integrationId,
    );
    const bad = await call(sb, 'pagerduty', '/services?include[]=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(2001);
  });

  it('turns a trigger into an incident on the routed service that GET /incidents lists, then acknowledges and resolves it by dedup_key', async () => {
    const before = await incidentsOf('PLEGACY');
    expect(before).toEqual([]);
    const triggered = await pd().post('/v2/enqueue', {
      url: `${sb.urls.pagerduty}/v2/enqueue`,
      data: {
        routing_key: keyOf('PLEGACY'),
        event_action: 'trigger',
        dedup_key: 'recon-2025-03',
        payload: {
          summary: 'Invoice reconciliation failed for March',
          source: 'billing-cron-01',
          severity: 'critical',
          custom_details: { invoices: 12 },
        },
      },
    });
    expect(triggered.response.status).toBe(202);
    expect(triggered.data).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'recon-2025-03',
    });
    let incidents = await incidentsOf('PLEGACY');
    expect(incidents).toHaveLength(1);
    const inc = incidents[0];
    expect(inc).toMatchObject({
      title: 'Invoice reconciliation failed for March',
      status: 'triggered',
      incident_key: 'recon-2025-03',
      urgency: 'high',
      service: { id: 'PLEGACY', summary: 'legacy-billing' },
    });
    expect(inc.assignments).toHaveLength(1);
    // Also in the account-wide list and by id, with its trigger log entry.
    const all = await call(sb, 'pagerduty', '/incidents?limit=100');
    expect(all.body.incidents.map((i: any) => i.id)).toContain(inc.id);
    const one = await call(sb, 'pagerduty', `/incidents/${inc.id}`);
    expect(one.body.incident.incident_number).toBe(inc.incident_number);
    const log = await call(sb, 'pagerduty', `/incidents/${inc.id}/log_entries`);
    expect(log.body.log_entries.map((e: any) => e.type)).toContain(
      'trigger_log_entry',
    );
    const svc = await call(sb, 'pagerduty', '/services/PLEGACY');
    expect(svc.body.service.status).toBe('critical');

    // The same dedup_key while open: no second incident.
    const again = await enqueue({
      routing_key: keyOf('PLEGACY'),
      event_action: 'trigger',
      dedup_key: 'recon-2025-03',
      payload: { summary: 'Still failing', source: 'cron', severity: 'error' },
    });
    expect(again.status).toBe(202);
    expect(await incidentsOf('PLEGACY')).toHaveLength(1);

    const ack = await enqueue({
      routing_key: keyOf('PLEGACY'),
      event_action: 'acknowledge',
      dedup_key: 'recon-2025-03',
    });
    expect(ack.status).toBe(202);
    incidents = await incidentsOf('PLEGACY');
    expect(incidents[0].status).toBe('acknowledged');
    expect(incidents[0].acknowledgements[0].acknowledger.id).toBe('PLEGACY');
    const resolve = await enqueue({
      routing_key: keyOf('PLEGACY'),
      event_action: 'resolve',
      dedup_key: 'recon-2025-03',
    });
    expect(resolve.body).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'recon-2025-03',
    });
    incidents = await incidentsOf('PLEGACY');
    expect(incidents[0].status).toBe('resolved');
    expect(incidents[0].resolved_at).not.toBeNull();

    // After the resolve, the same key opens a new incident; without one, a key is made up.
    await enqueue({
      routing_key: keyOf('PLEGACY'),
      event_action: 'trigger',
      dedup_key: 'recon-2025-03',
      payload: { summary: 'Failed again', source: 'cron', severity: 'warning' },
    });
    const fresh = await enqueue({
      routing_key: keyOf('PPAYAPI'),
      event_action: 'trigger',
      payload: {
        summary: 'Card declines',
        source: 'grafana',
        severity: 'info',
      },
    });
    expect(fresh.body.dedup_key).toMatch(/^[0-9a-f]{32}$/);
    expect(await incidentsOf('PLEGACY')).toHaveLength(2);
    const pay = await call(
      sb,
      'pagerduty',
      `/incidents?service_ids[]=PPAYAPI&incident_key=${fresh.body.dedup_key}`,
    );
    expect(pay.body.incidents).toHaveLength(1);
    expect(pay.body.incidents[0].title).toBe('Card declines');
    expect(
      sb.requests({ upstream: 'pagerduty', route: 'POST /v2/enqueue' }).length,
    ).toBeGreaterThanOrEqual(6);
  });

  it('answers bad events 400 with the Events API error body, and needs no REST token', async () => {
    const missing = await enqueue({ payload: { summary: 'x' } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: [
        "'routing_key' is missing or blank",
        "'event_action' is missing or blank",
      ],
    });
    const wrong = await enqueue({
      routing_key: 'short',
      event_action: 'explode',
    });
    expect(wrong.body.errors).toEqual([
      "Length of 'routing_key' is incorrect (should be 32 characters)",
      "'event_action' is invalid (must be one of: trigger, acknowledge, resolve)",
    ]);
    const noPayload = await enqueue({
      routing_key: keyOf('PPAYAPI'),
      event_action: 'trigger',
      payload: { summary: 'x', severity: 'fatal' },
    });
    expect(noPayload.status).toBe(400);
    expect(noPayload.body.errors).toEqual([
      "'payload.source' is missing or blank",
      "'payload.severity' is invalid (must be one of: critical, error, warning, info)",
    ]);
    const noKey = await enqueue({
      routing_key: keyOf('PPAYAPI'),
      event_action: 'resolve',
    });
    expect(noKey.body.errors).toEqual(["'dedup_key' is missing or blank"]);
    const unknown = await enqueue({
      routing_key: 'f'.repeat(32),
      event_action: 'trigger',
      payload: { summary: 'x', source: 'y', severity: 'info' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual(['Invalid routing key']);
    const notJson = await enqueue('{"routing_key": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body).toEqual({
      status: 'Unrecognized object',
      message: 'Event object format is unrecognized',
      errors: ['JSON parse error'],
    });
    // Nothing was opened by the refused events; REST still wants its token.
    expect(await incidentsOf('PCORPVP')).toEqual([]);
    const rest = await call(sb, 'pagerduty', '/incidents', { auth: false });
    expect(rest.status).toBe(401);
  });

  it('records a change event on the routed service (POST /v2/change/enqueue)', async () => {
    const res = await enqueue(
      {
        routing_key: keyOf('PDATAPL'),
        payload: {
          summary: 'Switch the nightly load to the new warehouse',
          source: 'airflow',
          timestamp: new Date(Date.now() - 60_000).toISOString(),
          custom_details: { dag: 'nightly_load', version: 42 },
        },
        links: [{ href: 'https://airflow.acme.example/dags/nightly_load' }],
      },
      '/v2/change/enqueue',
    );
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      status: 'success',
      message: 'Change event processed',
    });
    const changes = await call(
      sb,
      'pagerduty',
      '/services/PDATAPL/change_events',
    );
    expect(changes.body.change_events).toHaveLength(1);
    expect(changes.body.change_events[0]).toMatchObject({
      summary: 'Switch the nightly load to the new warehouse',
      source: 'airflow',
      custom_details: { dag: 'nightly_load', version: 42 },
      services: [{ id: 'PDATAPL' }],
      integration: {
        id: sb.scenario.pagerduty.services.find(s => s.id === 'PDATAPL')!
          .integrationId,
      },
    });
    const bad = await enqueue(
      { routing_key: keyOf('PDATAPL'), payload: {} },
      '/v2/change/enqueue',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(["'payload.summary' is missing or blank"]);
  });
});
