import { TestDatabases } from '@backstage/backend-test-utils';
import { PageOnCallResult } from '@dash-suite/plugin-project-catalog-common';
import { Sandbox, startSandbox } from '@dash-suite/upstream-sandbox';
import { Knex } from 'knex';
import request from 'supertest';
import {
  ProjectCatalogTestBackend,
  startProjectCatalog,
  yamlEntity,
} from '../__testUtils__/startProjectCatalog';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/project-catalog';
const PAGE = 'project-catalog.oncall.page';

describe.each(databases.eachSupportedId())('Page on-call on %p', databaseId => {
  let sandbox: Sandbox;
  let backend: ProjectCatalogTestBackend;
  let knex: Knex;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 42 });
  });
  afterAll(() => sandbox.stop());

  /** The first catalog service of the sandbox, with its PagerDuty service. */
  const pd = () => sandbox.scenario.pagerduty.services[0];

  beforeEach(async () => {
    sandbox.setFaults('pagerduty', undefined);
    sandbox.resetCounters();
    knex = await databases.init(databaseId);
    backend = await startProjectCatalog({
      knex,
      entities: [
        yamlEntity('checkout', {
          metadata: {
            annotations: { 'pagerduty.com/service-id': pd().id },
          },
        }),
        yamlEntity('keyed', {
          metadata: {
            annotations: {
              'pagerduty.com/integration-key': pd().integrationKey,
            },
          },
        }),
        yamlEntity('badly-keyed', {
          metadata: {
            annotations: { 'pagerduty.com/integration-key': 'not-a-key' },
          },
        }),
        yamlEntity('ghost', {
          metadata: { annotations: { 'pagerduty.com/service-id': 'PNOPE00' } },
        }),
        yamlEntity('unpaged'),
        yamlEntity('secret-ledger', {
          metadata: {
            annotations: { 'pagerduty.com/service-id': pd().id },
          },
        }),
      ],
      config: {
        app: { baseUrl: 'http://backstage.test' },
        projectCatalog: {
          onCall: {
            eventsBaseUrl: sandbox.urls.pagerduty,
            timeoutMs: 1500,
            pagerduty: {
              apiBaseUrl: sandbox.urls.pagerduty,
              token: sandbox.tokens.pagerduty,
            },
          },
        },
      },
    });
  });
  afterEach(() => backend.stop());

  const page = (name: string, body: unknown) =>
    request(backend.server)
      .post(`${BASE}/projects/component/default/${name}/page`)
      .send(body as object);
  const enqueued = () =>
    sandbox
      .requests({ upstream: 'pagerduty' })
      .filter(r => r.path === '/v2/enqueue');
  const audit = async (name: string) =>
    (
      await request(backend.server)
        .get(`${BASE}/audit`)
        .query({ entityRef: `component:default/${name}` })
    ).body.entries as any[];
  /** The sandbox's incidents on the service, as PagerDuty's REST API lists them. */
  const incidentsTitled = async (title: string) => {
    const res = await fetch(
      `${sandbox.urls.pagerduty}/incidents?service_ids[]=${
        pd().id
      }&statuses[]=triggered&limit=100`,
      {
        headers: {
          authorization: `Token token=${sandbox.tokens.pagerduty}`,
          accept: 'application/vnd.pagerduty+json;version=2',
        },
      },
    );
    const body = (await res.json()) as { incidents: any[] };
    return body.incidents.filter(i => i.title === title);
  };

  it("finds the service's Events API v2 key and opens an incident, audit-logged", async () => {
    const summary = `Checkout fails for every card payment (${databaseId})`;
    const res = await page('checkout', {
      summary,
      severity: 'error',
      details: 'Since 03:12 UTC; rollback did not help',
    });
    expect(res.status).toBe(202);
    const result = res.body as PageOnCallResult;
    expect(result).toEqual({
      entityRef: 'component:default/checkout',
      serviceId: pd().id,
      dedupKey: expect.stringMatching(/^backstage-/),
      message: 'Event processed',
      url: expect.stringContaining(pd().id),
    });
    // The key was looked up through the REST API, then the event posted once.
    expect(
      sandbox
        .requests({ upstream: 'pagerduty' })
        .some(r => r.path === `/services/${pd().id}`),
    ).toBe(true);
    expect(enqueued()).toHaveLength(1);
    expect(enqueued()[0].status).toBe(202);
    // PagerDuty now has the incident on that service.
    expect(await incidentsTitled(summary)).toHaveLength(1);

    const [entry] = await audit('checkout');
    expect(entry).toMatchObject({
      action: 'oncall.page',
      actor: 'user:default/mock',
      outcome: 'succeeded',
      after: {
        summary,
        severity: 'error',
        dedupKey: result.dedupKey,
        serviceId: pd().id,
      },
    });
    expect(backend.auditEvents).toContainEqual({
      eventId: 'oncall-page',
      outcome: 'success',
    });
  });

  it('uses the pagerduty.com/integration-key annotation without asking the REST API', async () => {
    const res = await page('keyed', { summary: 'Disk full on keyed' });
    expect(res.status).toBe(202);
    expect(
      sandbox
        .requests({ upstream: 'pagerduty' })
        .filter(r => r.path !== '/v2/enqueue'),
    ).toEqual([]);
    expect(enqueued()).toHaveLength(1);
    expect(await incidentsTitled('Disk full on keyed')).toHaveLength(1);
  });

  it('refuses without the permission, records the refusal and pages nobody', async () => {
    backend.deny.add(PAGE);
    const res = await page('checkout', { summary: 'Not allowed' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(PAGE);
    expect(enqueued()).toEqual([]);
    const [entry] = await audit('checkout');
    expect(entry).toMatchObject({
      action: 'oncall.page',
      outcome: 'refused',
    });
  });

  it.each([
    ['summary', {}],
    ['must say what is wrong', { summary: '   ' }],
    ['at most 1024 characters', { summary: 'x'.repeat(1025) }],
    ['control characters', { summary: 'NUL \u0000 in it' }],
    ['critical, error, warning, info', { summary: 'ok', severity: 'sev1' }],
    ['extra', { summary: 'ok', extra: 1 }],
  ])('answers 400 naming the problem: %s', async (words, body) => {
    const res = await page('checkout', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(words);
    expect(enqueued()).toEqual([]);
  });

  it('says which annotation is missing or wrong, and which service PagerDuty lacks', async () => {
    const none = await page('unpaged', { summary: 'help' });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('pagerduty.com/service-id');
    const bad = await page('badly-keyed', { summary: 'help' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('32 letters and digits');
    const ghost = await page('ghost', { summary: 'help' });
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.message).toContain(
      'PagerDuty has no service PNOPE00',
    );
    expect(enqueued()).toEqual([]);
  });

  it('answers 404 for an entity the caller may not read', async () => {
    const res = await page('secret-ledger', { summary: 'help' });
    expect(res.status).toBe(404);
    expect(enqueued()).toEqual([]);
  });

  it('answers 503 and says nobody was paged when PagerDuty fails', async () => {
    sandbox.setFaults('pagerduty', { errorRate: 1, pathPrefix: '/v2/' });
    const res = await page('keyed', { summary: 'Events API down' });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('nobody was paged');
    const [entry] = await audit('keyed');
    expect(entry).toMatchObject({ action: 'oncall.page', outcome: 'failed' });

    sandbox.setFaults('pagerduty', {
      rateLimit: { rate: 1 },
      pathPrefix: '/v2/',
    });
    const limited = await page('keyed', { summary: 'rate limited' });
    expect(limited.status).toBe(503);
    expect(limited.body.error.message).toContain('rate limiting');
  });
});
