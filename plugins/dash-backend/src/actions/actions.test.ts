import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ALICE,
  APP,
  HOUR,
  LEDGER_DB,
  MIN,
  PAYMENTS,
  startActionsBackend,
} from './__testUtils__/actionsBackend';

/**
 * The DASH actions through the test backend's real actions registry (its HTTP invoke route),
 * answering from events stored by the source and by `POST /changes`, on both databases.
 */

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('DASH actions on %p', databaseId => {
  const now = Date.now();

  /** The backend with the payments story: a bad deploy, an older staging one, a fix after. */
  async function story() {
    const backend = await startActionsBackend(databases, databaseId, now);
    const cause = await backend.postChange({
      id: 'deploy-2140',
      entityRef: PAYMENTS,
      time: new Date(now - 2 * HOUR - 8 * MIN).toISOString(),
      title: 'Deploy payments-api v2.14.0',
      type: 'deploy',
      environment: 'production',
      version: 'v2.14.0',
      actor: { name: 'deployctl' },
      url: 'https://deploy.acme.example/runs/2140',
    });
    const staging = await backend.postChange({
      id: 'deploy-2139-staging',
      entityRef: PAYMENTS,
      time: new Date(now - 20 * HOUR).toISOString(),
      title: 'Deploy payments-api v2.13.9 to staging',
      type: 'deploy',
      environment: 'staging',
      version: 'v2.13.9',
    });
    const earlier = await backend.postChange({
      id: 'config-pool',
      entityRef: PAYMENTS,
      time: new Date(now - 2 * HOUR - 50 * MIN).toISOString(),
      title: 'Raise the connection pool of payments-api',
      type: 'config',
      environment: 'production',
    });
    const fix = await backend.postChange({
      id: 'flag-off',
      entityRef: PAYMENTS,
      time: new Date(now - HOUR).toISOString(),
      title: 'Turn off flag new-checkout',
      type: 'feature-flag',
    });
    return { ...backend, cause, staging, earlier, fix };
  }

  it('lists the four actions, read-only and idempotent', async () => {
    const { server } = await startActionsBackend(databases, databaseId, now);
    const res = await request(server)
      .get('/api/dash/.backstage/actions/v1/actions')
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(res.status).toBe(200);
    const actions = res.body.actions as Array<{
      id: string;
      attributes: Record<string, boolean>;
      schema: { input: { properties: Record<string, unknown> } };
    }>;
    expect(actions.map(a => a.id).sort()).toEqual([
      'dash:get-likely-causes',
      'dash:get-recent-deploys',
      'dash:get-timeline',
      'dash:who-is-on-call',
    ]);
    for (const a of actions) {
      expect(a.attributes).toEqual({
        readOnly: true,
        idempotent: true,
        destructive: false,
      });
    }
    const timeline = actions.find(a => a.id === 'dash:get-timeline')!;
    expect(Object.keys(timeline.schema.input.properties)).toEqual(
      expect.arrayContaining(['entityRefs', 'lastHours', 'kinds', 'limit']),
    );
  });

  it('get-timeline answers stored events newest first, with links into the DASH tab', async () => {
    const { invoke, cause, fix, staging, earlier } = await story();
    const res = await invoke('get-timeline', {
      entityRef: 'Component:payments-api',
      lastHours: 24,
    });
    expect(res.status).toBe(200);
    const out = res.body.output;
    expect(out.entityRefs).toEqual([PAYMENTS]);
    expect(out.events.map((e: { id: string }) => e.id)).toEqual([
      fix,
      'pagerduty:P1',
      cause,
      earlier,
      staging,
    ]);
    expect(out.truncated).toBe(false);
    const deploy = out.events[2];
    expect(deploy).toMatchObject({
      time: new Date(now - 2 * HOUR - 8 * MIN).toISOString(),
      source: 'changes',
      kind: 'deploy',
      title: 'Deploy payments-api v2.14.0',
      version: 'v2.14.0',
      environment: 'production',
      actor: 'deployctl',
      url: 'https://deploy.acme.example/runs/2140',
    });
    const link = new URL(deploy.dashUrl);
    expect(`${link.origin}${link.pathname}`).toBe(
      `${APP}/catalog/default/component/payments-api/dash`,
    );
    expect(link.searchParams.get('event')).toBe(cause);
    expect(
      Date.parse(link.searchParams.get('to')!) -
        Date.parse(link.searchParams.get('from')!),
    ).toBe(24 * HOUR);
    expect(out.sources).toEqual([
      { id: 'pagerduty', entityRef: PAYMENTS, status: 'ok' },
    ]);

    // Kinds filter, and a limit that keeps the newest and says the answer was cut.
    const deploys = await invoke('get-timeline', {
      entityRefs: [PAYMENTS],
      kinds: ['deploy'],
      limit: 1,
    });
    expect(deploys.status).toBe(200);
    expect(deploys.body.output.events.map((e: { id: string }) => e.id)).toEqual(
      [cause],
    );
    expect(deploys.body.output.truncated).toBe(true);
  });

  it('get-likely-causes ranks the seeded deploy first for the newest incident, with reasons', async () => {
    const { invoke, cause, fix, earlier } = await story();
    const res = await invoke('get-likely-causes', { entityRef: PAYMENTS });
    expect(res.status).toBe(200);
    const out = res.body.output;
    expect(out.problem).toMatchObject({
      id: 'pagerduty:P1',
      title: 'Checkout payments failing',
      kind: 'incident',
    });
    expect(out.problem.onset.summary).toEqual(expect.any(String));
    expect(out.verdict).toBe('ranked');
    expect(out.candidates[0]).toMatchObject({
      rank: 1,
      id: cause,
      title: 'Deploy payments-api v2.14.0',
      relation: 'self',
      version: 'v2.14.0',
    });
    // The older production config change is a suspect too, ranked below the deploy.
    expect(out.candidates.map((c: { id: string }) => c.id)).toEqual([
      cause,
      earlier,
    ]);
    expect(out.candidates[1].rank).toBe(2);
    expect(out.candidates[0].score).toBeGreaterThan(out.candidates[1].score);
    expect(out.candidates[0].reasons.length).toBeGreaterThan(0);
    expect(
      out.candidates.every((c: { score: number }, i: number) =>
        i === 0 ? true : c.score <= out.candidates[i - 1].score,
      ),
    ).toBe(true);
    expect(new URL(out.candidates[0].dashUrl).searchParams.get('event')).toBe(
      cause,
    );
    // The flag turned off after the onset is listed there, never as a suspect.
    expect(out.afterOnset.map((a: { id: string }) => a.id)).toContain(fix);
    expect(out.candidates.map((c: { id: string }) => c.id)).not.toContain(fix);

    // Named by id, the same incident answers the same.
    const named = await invoke('get-likely-causes', {
      entityRef: PAYMENTS,
      eventId: 'pagerduty:P1',
    });
    expect(named.body.output.candidates[0].id).toBe(cause);
    const unknown = await invoke('get-likely-causes', {
      entityRef: PAYMENTS,
      eventId: 'pagerduty:NOPE',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(
      /No incident or alert pagerduty:NOPE on component:default\/payments-api/,
    );
  });

  it('get-likely-causes links a suspect on a dependency into the tab with dependencies shown', async () => {
    const { invoke, postChange } = await startActionsBackend(
      databases,
      databaseId,
      now,
    );
    const ledgerDeploy = await postChange({
      id: 'ledger-migration',
      entityRef: LEDGER_DB,
      time: new Date(now - 2 * HOUR - 15 * MIN).toISOString(),
      title: 'Deploy ledger-db schema migration 42',
      type: 'deploy',
      environment: 'production',
    });
    const res = await invoke('get-likely-causes', {
      entityRef: PAYMENTS,
      eventId: 'pagerduty:P1',
    });
    expect(res.status).toBe(200);
    const suspect = res.body.output.candidates.find(
      (c: { id: string }) => c.id === ledgerDeploy,
    );
    expect(suspect).toMatchObject({
      relation: 'dependency',
      entityRef: LEDGER_DB,
      title: 'Deploy ledger-db schema migration 42',
    });
    const link = new URL(suspect.dashUrl);
    // On the tab of the entity asked about, with its dependencies' events shown.
    expect(link.pathname).toBe('/catalog/default/component/payments-api/dash');
    expect(link.searchParams.get('deps')).toBe('1');
    expect(link.searchParams.get('event')).toBe(ledgerDeploy);
    expect(Date.parse(link.searchParams.get('from')!)).toBeLessThanOrEqual(
      Date.parse(suspect.time),
    );
  });

  it('get-recent-deploys answers deploys newest first, filtered by environment', async () => {
    const { invoke, cause, staging } = await story();
    const all = await invoke('get-recent-deploys', { entityRef: PAYMENTS });
    expect(all.status).toBe(200);
    expect(all.body.output.deploys.map((d: { id: string }) => d.id)).toEqual([
      cause,
      staging,
    ]);
    const prod = await invoke('get-recent-deploys', {
      entityRef: PAYMENTS,
      environment: 'Production',
    });
    expect(prod.body.output.deploys).toEqual([
      expect.objectContaining({
        id: cause,
        version: 'v2.14.0',
        environment: 'production',
        status: 'success',
        actor: 'deployctl',
        url: 'https://deploy.acme.example/runs/2140',
      }),
    ]);
    expect(prod.body.output.deploys[0].dashUrl).toContain(
      `${APP}/catalog/default/component/payments-api/dash?`,
    );
  });

  it('who-is-on-call answers the levels in order, with contact and until when', async () => {
    const { invoke } = await startActionsBackend(databases, databaseId, now);
    const res = await invoke('who-is-on-call', { entityRef: PAYMENTS });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      entityRef: PAYMENTS,
      levels: [
        {
          level: 1,
          name: 'Mei Chen',
          email: 'mei@acme.example',
          until: new Date(now + 5 * HOUR).toISOString(),
          escalationPolicy: 'Payments escalation',
          source: 'pagerduty',
        },
        {
          level: 2,
          name: 'Bo Lead',
          email: 'bo@acme.example',
          escalationPolicy: 'Payments escalation',
          source: 'pagerduty',
        },
      ],
      sources: [{ id: 'pagerduty', entityRef: PAYMENTS, status: 'ok' }],
    });
  });
});
