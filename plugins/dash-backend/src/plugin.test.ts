import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { UpstreamError } from '@dash-suite/plugin-dash-node';
import fc from 'fast-check';
import request from 'supertest';
import { dashPlugin } from './plugin';
import {
  changeResponseSchema,
  deploysResponseSchema,
  doraResponseSchema,
  errorResponseSchema,
  timelineResponseSchema,
} from './schema/schemas';
import { FakeSource, entity } from './testUtils/fakeSource';
import { fakeSourcesModule } from './testUtils/testBackendParts';

// Built at run time so that the linter sees test data, not a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const CART = 'component:default/cart-service';
const INVENTORY = 'component:default/inventory-service';
const CHECKOUT = 'component:default/checkout-api';
const HOUR = 3600_000;
const MIN = 60_000;

const entities = [
  entity(
    'cart-service',
    { 'test/github': 'acme/cart', 'test/pagerduty': 'PCART' },
    [INVENTORY],
  ),
  entity('inventory-service', { 'test/github': 'acme/inventory' }),
  entity('checkout-api', { 'test/github': 'acme/checkout' }, [CART]),
  entity('docs-site', {}),
];

function ev(
  partial: Partial<DashEvent> &
    Pick<DashEvent, 'id' | 'kind' | 'entityRef' | 'startTime'>,
): DashEvent {
  return {
    source: 'github',
    title: partial.id,
    severity: 'info',
    attributes: {},
    ...partial,
  };
}

describe.each(databases.eachSupportedId())('DASH backend on %p', databaseId => {
  let server: any;
  let github: FakeSource;
  let pagerduty: FakeSource;
  let auditEvents: Array<{ eventId: string; outcome: string; meta?: unknown }>;
  const now = Date.now();
  const incidentStart = new Date(now - 2 * HOUR).toISOString();

  async function start(
    permission:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY
      | { maxEvents: number } = AuthorizeResult.ALLOW,
  ) {
    const maxEvents =
      typeof permission === 'object' ? permission.maxEvents : undefined;
    const result =
      typeof permission === 'object' ? AuthorizeResult.ALLOW : permission;
    github = new FakeSource('github', 'GitHub');
    pagerduty = new FakeSource('pagerduty', 'PagerDuty');
    github.events = [
      ev({
        id: 'github:inventory:deploy',
        kind: 'deploy',
        entityRef: INVENTORY,
        startTime: new Date(now - 2 * HOUR - 12 * MIN).toISOString(),
        title: 'Deploy inventory v3.1',
        attributes: { environment: 'production' },
      }),
      ev({
        id: 'github:checkout:deploy',
        kind: 'deploy',
        entityRef: CHECKOUT,
        startTime: new Date(now - 2 * HOUR - 3 * MIN).toISOString(),
        attributes: { environment: 'production' },
      }),
      ev({
        id: 'github:cart:commit',
        kind: 'commit',
        entityRef: CART,
        startTime: new Date(now - HOUR).toISOString(),
      }),
      ev({
        id: 'github:cart:old-deploy',
        kind: 'deploy',
        entityRef: CART,
        startTime: new Date(now - 20 * HOUR).toISOString(),
        status: 'success',
        attributes: { environment: 'production' },
      }),
    ];
    pagerduty.events = [
      ev({
        id: 'pagerduty:Q1',
        source: 'pagerduty',
        kind: 'incident',
        severity: 'critical',
        entityRef: CART,
        startTime: incidentStart,
        endTime: new Date(now - HOUR).toISOString(),
        title: 'Cart pricing timeouts',
        status: 'resolved',
      }),
    ];
    auditEvents = [];
    const knex = await databases.init(databaseId);
    const backend = await startTestBackend({
      features: [
        dashPlugin,
        fakeSourcesModule(github, pagerduty),
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
        mockServices.permissions.factory({ result }),
        mockServices.auditor.mock({
          createEvent: async ({ eventId, meta }) => ({
            success: async (o?: { meta?: unknown }) => {
              auditEvents.push({
                eventId,
                outcome: 'success',
                meta: { ...(meta as object), ...(o?.meta as object) },
              });
            },
            fail: async () => {
              auditEvents.push({ eventId, outcome: 'fail', meta });
            },
          }),
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            dash: {
              refresh: { maxWaitMs: 3000, prewarm: { enabled: false } },
              guard: { timeoutMs: 500, retries: 0 },
              ...(maxEvents ? { maxEvents } : {}),
            },
          },
        }),
      ],
    });
    server = backend.server;
    return backend;
  }

  afterEach(async () => {
    // startTestBackend stops its backends after each test on its own.
  });

  it('answers a timeline with events, source states and the dependency change ranked as the cause', async () => {
    await start();
    const res = await request(server)
      .get('/api/dash/timeline')
      .query({
        entityRef: CART,
        from: new Date(now - 6 * HOUR).toISOString(),
        to: new Date(now).toISOString(),
      });
    expect(res.status).toBe(200);
    const body = timelineResponseSchema.parse(res.body);
    expect(body.entityRefs).toEqual([CART]);
    expect(body.events.map(e => e.id)).toEqual([
      'pagerduty:Q1',
      'github:cart:commit',
    ]);
    expect(body.sources.map(s => `${s.id}:${s.status}`).sort()).toEqual([
      'github:ok',
      'pagerduty:ok',
    ]);
    const [c] = body.correlations;
    expect(c.eventId).toBe('pagerduty:Q1');
    // The inventory deploy 12 min before is ranked; checkout-api depends on cart, so its
    // deploy is never a suspect; the cart commit came after the incident began.
    expect(c.candidates.map(x => x.eventId)).toEqual([
      'github:inventory:deploy',
    ]);
    expect(c.candidates[0].relation).toBe('dependency');
    expect(body.relatedEvents.map(e => e.id)).toEqual([
      'github:inventory:deploy',
    ]);
    // Dependencies' feeds were fetched for the correlation, downstream ones were not.
    expect(github.calls.map(x => x.entityRef).sort()).toEqual([
      CART,
      INVENTORY,
    ]);
  });

  it('includes and marks dependencies on request, and filters by source and kind', async () => {
    await start();
    const base = {
      entityRef: CART,
      from: new Date(now - 6 * HOUR).toISOString(),
    };
    const withDeps = await request(server)
      .get('/api/dash/timeline')
      .query({ ...base, includeDependencies: 'true' });
    expect(withDeps.status).toBe(200);
    expect(withDeps.body.dependencyRefs).toEqual([INVENTORY]);
    expect(
      withDeps.body.events.map((e: DashEvent) => `${e.entityRef}|${e.id}`),
    ).toContain(`${INVENTORY}|github:inventory:deploy`);
    expect(withDeps.body.relatedEvents).toEqual([]);
    expect(withDeps.body.sources.map((s: any) => s.entityRef)).toContain(
      INVENTORY,
    );

    const onlyIncidents = await request(server)
      .get('/api/dash/timeline')
      .query({ ...base, kinds: 'incident' });
    expect(onlyIncidents.body.events.map((e: DashEvent) => e.id)).toEqual([
      'pagerduty:Q1',
    ]);
    const onlyGithub = await request(server)
      .get('/api/dash/timeline')
      .query({ ...base, sources: 'github' });
    expect(onlyGithub.body.events.map((e: DashEvent) => e.source)).toEqual([
      'github',
    ]);
    expect(onlyGithub.body.sources.map((s: any) => s.id)).toEqual(['github']);
  });

  it('caps a huge window at dash.maxEvents, keeping the newest and saying so', async () => {
    await start({ maxEvents: 2 });
    const res = await request(server)
      .get('/api/dash/timeline')
      .query({
        entityRef: CART,
        from: new Date(now - 30 * HOUR).toISOString(),
      });
    expect(res.status).toBe(200);
    expect(res.body.truncated).toBe(true);
    expect(res.body.events.map((e: DashEvent) => e.id)).toEqual([
      'pagerduty:Q1',
      'github:cart:commit',
    ]);
    const small = await request(server)
      .get('/api/dash/timeline')
      .query({ entityRef: CART, kinds: 'incident' });
    expect(small.body.truncated).toBeUndefined();
  });

  it('answers several entities at once', async () => {
    await start();
    const res = await request(server)
      .get('/api/dash/timeline')
      .query(
        `entityRef=${CART}&entityRef=${CHECKOUT}&from=${new Date(
          now - 6 * HOUR,
        ).toISOString()}`,
      );
    expect(res.status).toBe(200);
    expect(res.body.entityRefs).toEqual([CART, CHECKOUT]);
    expect(res.body.events.map((e: DashEvent) => e.id)).toEqual([
      'github:checkout:deploy',
      'pagerduty:Q1',
      'github:cart:commit',
    ]);
  });

  it('degrades only the failing source and keeps the page', async () => {
    await start();
    pagerduty.failWith = new UpstreamError(
      'unauthorized',
      'PagerDuty said 401: check the token',
    );
    github.hang = true;
    const res = await request(server)
      .get('/api/dash/timeline')
      .query({ entityRef: CART });
    expect(res.status).toBe(200);
    const states = Object.fromEntries(
      res.body.sources.map((s: any) => [s.id, s]),
    );
    expect(states.pagerduty).toMatchObject({
      status: 'unauthorized',
      message: 'PagerDuty said 401: check the token',
    });
    expect(states.github).toMatchObject({ status: 'timed-out' });
  });

  it('answers bad input with 400 naming the field, an unknown entity with 404, and never 500', async () => {
    await start();
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [
        { entityRef: 'cart-service' },
        400,
        /^entityRef\[0\]: 'cart-service' is not an entity ref/,
      ],
      [{}, 400, /^entityRef: /],
      [
        {
          entityRef: CART,
          from: '2026-11-22T10:00:00Z',
          to: '2026-11-22T09:00:00Z',
        },
        400,
        /^from: must be before to/,
      ],
      [
        {
          entityRef: CART,
          from: '2026-01-01T00:00:00Z',
          to: '2026-11-01T00:00:00Z',
        },
        400,
        /^to: the window is 304 days; the widest allowed is 31 days/,
      ],
      [
        { entityRef: CART, from: 'yesterday' },
        400,
        /^from: must be an ISO 8601 date-time/,
      ],
      [
        { entityRef: CART, sources: 'github,opsgenie' },
        400,
        /^sources: unknown source opsgenie; known are github, pagerduty, changes/,
      ],
      [{ entityRef: CART, kinds: 'deploy,explosion' }, 400, /^kinds\[1\]: /],
      [
        { entityRef: CART, includeDependencies: 'maybe' },
        400,
        /^includeDependencies: /,
      ],
      [{ entityRef: CART, live: 'soon' }, 400, /^live: /],
      [
        { entityRef: 'component:default/nope' },
        404,
        /No entity component:default\/nope/,
      ],
    ];
    for (const [query, status, message] of cases) {
      const res = await request(server).get('/api/dash/timeline').query(query);
      expect({ query, status: res.status }).toEqual({ query, status });
      errorResponseSchema.parse(res.body);
      expect(res.body.error.message).toMatch(message);
    }
    const nested = await request(server).get(
      '/api/dash/timeline?entityRef[a]=b&from[$gt]=1',
    );
    expect(nested.status).toBe(400);
  });

  it('answers generated garbage with 200, 400 or 404, never 500', async () => {
    await start();
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom(CART, 'component:x', '2026-11-22T10:00:00Z', 'true', ''),
      fc.array(fc.string(), { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            'entityRef',
            'from',
            'to',
            'sources',
            'kinds',
            'includeDependencies',
            'live',
            'x',
          ),
          value,
        ),
        fc.constantFrom(
          '/timeline',
          '/deploys',
          '/dora',
          '/oncall',
          '/alerts',
          '/export.md',
          '/links',
        ),
        async (query, path) => {
          const res = await request(server)
            .get(`/api/dash${path}`)
            .query(query);
          expect([200, 400, 404]).toContain(res.status);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('ingests change events idempotently, validated and audit-logged', async () => {
    await start();
    const change = {
      id: 'deployctl-42',
      entityRef: CART,
      time: new Date(now - 30 * MIN).toISOString(),
      title: 'Deploy cart-service v9',
      type: 'deploy',
      environment: 'production',
      version: 'v9',
      actor: { name: 'deployctl' },
      url: 'https://deploy.acme.example/runs/42',
      details: { canary: true, pipeline: 'main' },
    };
    const first = await request(server).post('/api/dash/changes').send(change);
    expect(first.status).toBe(201);
    expect(changeResponseSchema.parse(first.body)).toMatchObject({
      created: true,
      event: {
        // Scoped by the poster: the mock caller is user:default/mock.
        id: 'changes:deployctl-42#user:default/mock',
        source: 'changes',
        kind: 'deploy',
        attributes: {
          changeType: 'deploy',
          environment: 'production',
          version: 'v9',
        },
      },
    });
    const again = await request(server)
      .post('/api/dash/changes')
      .send({ ...change, title: 'Deploy cart-service v9 (retried)' });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);

    const deploys = await request(server)
      .get('/api/dash/deploys')
      .query({ entityRef: CART });
    // Newest first, over the last 7 days by default.
    expect(
      deploysResponseSchema.parse(deploys.body).deploys.map(d => d.id),
    ).toEqual([
      'changes:deployctl-42#user:default/mock',
      'github:cart:old-deploy',
    ]);
    expect(deploys.body.deploys[0].title).toBe(
      'Deploy cart-service v9 (retried)',
    );

    const bad = [
      [{ ...change, url: SCRIPT_URL }, /^url: must be an http or https URL/],
      [{ ...change, type: 'yolo' }, /^type: /],
      [
        { ...change, time: new Date(now + 2 * HOUR).toISOString() },
        /^time: is more than an hour in the future/,
      ],
      [{ ...change, id: 'has spaces' }, /^id: letters, digits/],
      [{ ...change, extra: 1 }, /Unrecognized key/],
      [{ ...change, entityRef: 'component:default/nope' }, /No entity/],
    ] as const;
    for (const [body, message] of bad) {
      const res = await request(server).post('/api/dash/changes').send(body);
      expect([400, 404]).toContain(res.status);
      expect(res.body.error.message).toMatch(message);
    }
    expect(
      auditEvents
        .filter(a => a.eventId === 'change-ingest')
        .map(a => a.outcome),
    ).toEqual(['success', 'success', 'fail', 'fail']);
    expect(auditEvents[0].meta).toMatchObject({
      entityRef: CART,
      changeId: 'deployctl-42',
      created: true,
    });
  });

  it('refuses writes without the permission', async () => {
    await start(AuthorizeResult.DENY);
    const change = {
      id: 'x',
      entityRef: CART,
      time: new Date(now).toISOString(),
      title: 't',
      type: 'config',
    };
    const res = await request(server).post('/api/dash/changes').send(change);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      `You are not allowed to dash.change.create on ${CART}`,
    );
    const refresh = await request(server)
      .post('/api/dash/refresh')
      .send({ entityRef: CART });
    expect(refresh.status).toBe(403);
    // Reads need no DASH permission, only catalog access.
    expect(
      (
        await request(server)
          .get('/api/dash/timeline')
          .query({ entityRef: CART })
      ).status,
    ).toBe(200);
    expect(auditEvents.map(a => `${a.eventId}:${a.outcome}`)).toEqual([
      'change-ingest:fail',
      'refresh:fail',
    ]);
  });

  it('forces a refresh on request, past freshness', async () => {
    await start();
    await request(server).get('/api/dash/timeline').query({ entityRef: CART });
    const before = github.calls.length;
    const res = await request(server)
      .post('/api/dash/refresh')
      .send({ entityRef: CART, sources: ['github'] });
    expect(res.status).toBe(200);
    expect(res.body.sources).toEqual([
      expect.objectContaining({ id: 'github', status: 'ok' }),
    ]);
    expect(github.calls.length).toBe(before + 1);
  });

  it('exports Markdown, computes DORA, and serves its OpenAPI document', async () => {
    await start();
    const md = await request(server)
      .get('/api/dash/export.md')
      .query({ entityRef: CART, from: new Date(now - 6 * HOUR).toISOString() });
    expect(md.status).toBe(200);
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.text).toContain('# Timeline: cart-service');
    expect(md.text).toContain('### Cart pricing timeouts');

    const dora = await request(server)
      .get('/api/dash/dora')
      .query({ entityRef: CART });
    expect(dora.status).toBe(200);
    expect(doraResponseSchema.parse(dora.body)).toMatchObject({
      deployCount: 1,
      timeToRestoreHours: 1,
      basis: { resolvedIncidents: 1 },
    });

    const doc = await request(server)
      .get('/api/dash/openapi.json')
      .set('authorization', '');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths).sort()).toEqual([
      '/alerts',
      '/changes',
      '/deploys',
      '/dora',
      '/export.md',
      '/links',
      '/oncall',
      '/refresh',
      '/search-events',
      '/settings',
      '/timeline',
    ]);
  });

  it("offers links into the upstream UIs for the window and the entity's own, http(s) only", async () => {
    entities[0].metadata.links = [
      { url: 'https://runbooks.acme.example/cart', title: 'Runbook' },
      { url: SCRIPT_URL, title: 'Sneaky too' },
    ];
    await start();
    github.links = window => [
      {
        title: 'Deployments',
        url: `https://github.com/acme/cart/deployments?since=${window.from.toISOString()}`,
      },
      { title: 'Sneaky', url: SCRIPT_URL },
    ];
    pagerduty.configured = false;
    pagerduty.links = () => [
      { title: 'Service', url: 'https://acme.pagerduty.com/services/PCART' },
    ];
    const res = await request(server).get('/api/dash/links').query({
      entityRef: CART,
      from: '2026-11-22T10:00:00Z',
      to: '2026-11-22T12:00:00Z',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: CART,
      from: '2026-11-22T10:00:00.000Z',
      to: '2026-11-22T12:00:00.000Z',
      // The unconfigured PagerDuty offers nothing; the script URL is dropped.
      links: [
        {
          source: 'github',
          sourceTitle: 'GitHub',
          title: 'Deployments',
          url: 'https://github.com/acme/cart/deployments?since=2026-11-22T10:00:00.000Z',
        },
        // The entity's own links (YAML and Project Catalog quick links) come last.
        {
          source: 'entity',
          sourceTitle: 'Quick links',
          title: 'Runbook',
          url: 'https://runbooks.acme.example/cart',
        },
      ],
    });
    delete entities[0].metadata.links;
  });

  it('answers on-call and alerts with per-source states when no source offers them', async () => {
    await start();
    const oncall = await request(server)
      .get('/api/dash/oncall')
      .query({ entityRef: CART });
    expect(oncall.status).toBe(200);
    expect(oncall.body).toEqual({ entityRef: CART, onCall: [], sources: [] });
    const alerts = await request(server)
      .get('/api/dash/alerts')
      .query({ entityRef: CART });
    expect(alerts.body).toEqual({ entityRef: CART, alerts: [], sources: [] });
  });

  it('shares one refresh between two plugin instances on one database (the lease)', async () => {
    const knex = await databases.init(databaseId);
    const counted: FakeSource[] = [];
    const instance = async () => {
      const source = new FakeSource('github', 'GitHub');
      source.latencyMs = 300;
      counted.push(source);
      const backend = await startTestBackend({
        features: [
          dashPlugin,
          fakeSourcesModule(source),
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              dash: {
                refresh: { maxWaitMs: 5000, prewarm: { enabled: false } },
              },
            },
          }),
        ],
      });
      return backend.server;
    };
    const [one, two] = await Promise.all([instance(), instance()]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(i % 2 ? one : two)
          .get('/api/dash/timeline')
          .query({ entityRef: INVENTORY }),
      ),
    );
    expect(answers.map(a => a.status)).toEqual(Array(20).fill(200));
    expect(counted[0].calls.length + counted[1].calls.length).toBe(1);
    expect(answers.every(a => a.body.sources[0].status === 'ok')).toBe(true);
  });

  it('requires a signed-in caller', async () => {
    await start();
    const res = await request(server)
      .get('/api/dash/timeline')
      .query({ entityRef: CART })
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
