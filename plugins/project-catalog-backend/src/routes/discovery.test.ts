import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import {
  DiscoveryActionResult,
  DiscoveryStatus,
  DiscoverySuggestion,
  ProjectView,
} from '@dash-suite/plugin-project-catalog-common';
import { Sandbox, startSandbox } from '@dash-suite/upstream-sandbox';
import fc from 'fast-check';
import { Knex } from 'knex';
import request from 'supertest';
import {
  expectedDiscoveries,
  sandboxDiscoveryConfig,
  sandboxEntities,
} from '../__testUtils__/discoverySandbox';
import {
  ProjectCatalogTestBackend,
  startProjectCatalog,
} from '../__testUtils__/startProjectCatalog';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/project-catalog';
const REVIEW = 'project-catalog.discovery.review';

describe.each(databases.eachSupportedId())(
  'Discovery routes on %p',
  databaseId => {
    let sandbox: Sandbox;
    let backend: ProjectCatalogTestBackend;
    let knex: Knex;

    beforeAll(async () => {
      sandbox = await startSandbox({ seed: 42 });
    });
    afterAll(() => sandbox.stop());

    beforeEach(async () => {
      sandbox.setFaults('github', undefined);
      sandbox.setFaults('pagerduty', undefined);
      knex = await databases.init(databaseId);
      backend = await startProjectCatalog({
        knex,
        entities: sandboxEntities(sandbox),
        config: sandboxDiscoveryConfig(sandbox),
      });
    });

    const api = () => request(backend.server);
    const scan = async () => {
      const res = await api().post(`${BASE}/discovery/scan`);
      expect(res.status).toBe(200);
      return res.body as DiscoveryStatus;
    };
    const suggestions = async (query: Record<string, string> = {}) => {
      const res = await api()
        .get(`${BASE}/discovery/suggestions`)
        .query({ limit: '200', ...query });
      expect(res.status).toBe(200);
      return res.body.suggestions as DiscoverySuggestion[];
    };
    const act = (actions: unknown[]) =>
      api().post(`${BASE}/discovery/suggestions/actions`).send({ actions });
    const audit = async (query: Record<string, string>) =>
      (await api().get(`${BASE}/audit`).query(query)).body.entries as any[];

    it('finds exactly the repositories and PagerDuty services the catalog lacks', async () => {
      const before = await api().get(`${BASE}/discovery/status`);
      expect(before.body.upstreams.map((u: any) => u.status)).toEqual([
        'pending',
        'pending',
      ]);

      const { repos, services } = expectedDiscoveries(sandbox);
      const status = await scan();
      expect(status.upstreams).toEqual([
        expect.objectContaining({
          id: 'github',
          status: 'ok',
          found: repos.length,
        }),
        expect.objectContaining({
          id: 'pagerduty',
          status: 'ok',
          found: services.length,
        }),
      ]);

      const open = await suggestions({ status: 'open' });
      expect(open.map(s => s.id).sort()).toEqual(
        [
          ...repos.map(r => `github:${r.fullName.toLowerCase()}`),
          ...services.map(s => `pagerduty:${s.id}`),
        ].sort(),
      );
      for (const r of repos) {
        expect(
          open.find(s => s.id === `github:${r.fullName.toLowerCase()}`),
        ).toMatchObject({
          source: 'github',
          name: r.name,
          type: r.type,
          owner: `group:default/${r.ownerTeam}`,
          language: r.language,
          annotations: { 'github.com/project-slug': r.fullName },
          status: 'open',
        });
      }
      for (const svc of services) {
        expect(open.find(s => s.id === `pagerduty:${svc.id}`)).toMatchObject({
          type: 'service',
          owner: `group:default/${svc.team}`,
        });
      }
      expect((await api().get(`${BASE}/discovery/status`)).body).toEqual(
        status,
      );
      expect(await audit({ action: 'discovery.scan' })).toEqual([
        expect.objectContaining({
          actor: 'user:default/mock',
          after: { github: 'ok', pagerduty: 'ok' },
          outcome: 'succeeded',
        }),
      ]);
    });

    it('adopts, ignores and merges in bulk, answering each action, and a rescan revives nothing', async () => {
      await scan();
      const { repos, services } = expectedDiscoveries(sandbox);
      const [ignored, adopted, clashing] = repos.map(
        r => `github:${r.fullName.toLowerCase()}`,
      );
      const [merged, yamlOwned] = services.map(s => `pagerduty:${s.id}`);
      const target = sandbox.scenario.services.find(
        s => !s.pagerdutyServiceId,
      )!;
      const taken = sandbox.scenario.services.find(s => s.pagerdutyServiceId)!;

      const res = await act([
        {
          id: ignored,
          action: 'ignore',
          reason: 'a prototype, deleted next week',
        },
        {
          id: adopted,
          action: 'adopt',
          edits: { lifecycle: 'production', tags: ['new'] },
        },
        {
          id: merged,
          action: 'merge',
          entityRef: `component:default/${target.name}`,
        },
        {
          id: yamlOwned,
          action: 'merge',
          entityRef: `component:default/${taken.name}`,
        },
        { id: 'github:acme/no-such-repo', action: 'ignore', reason: 'x' },
        { id: clashing, action: 'adopt', edits: { name: taken.name } },
      ]);
      expect(res.status).toBe(200);
      const results = res.body.results as DiscoveryActionResult[];
      expect(results.map(r => `${r.action}:${r.status}`)).toEqual([
        'ignore:200',
        'adopt:201',
        'merge:200',
        'merge:409',
        'ignore:404',
        'adopt:409',
      ]);
      const adoptedRef = `component:default/${repos[1].name}`;
      expect(results[1]).toMatchObject({ ok: true, entityRef: adoptedRef });
      expect(results[3]).toMatchObject({
        ok: false,
        error: {
          name: 'ConflictError',
          message: expect.stringContaining('pagerduty.com/service-id'),
        },
      });
      expect(results[5]).toMatchObject({
        ok: false,
        error: {
          message: expect.stringContaining('already exists in the catalog'),
        },
      });

      // Adopted: a UI project with the suggestion's values and the reviewer's edits.
      const project = (
        await api().get(`${BASE}/projects/component/default/${repos[1].name}`)
      ).body as ProjectView;
      const value = (key: string) =>
        project.fields.find(f => f.key === key)?.value;
      expect(project.origin).toBe('ui');
      expect({
        type: value('type'),
        owner: value('owner'),
        lifecycle: value('lifecycle'),
        tags: value('tags'),
        slug: value('annotation:github.com/project-slug'),
      }).toEqual({
        type: repos[1].type,
        owner: `group:default/${repos[1].ownerTeam}`,
        lifecycle: 'production',
        tags: ['new'],
        slug: repos[1].fullName,
      });
      expect(await audit({ entityRef: adoptedRef })).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            action: 'project.create',
            outcome: 'succeeded',
          }),
          expect.objectContaining({
            action: 'discovery.adopt',
            field: 'discovery.status',
            before: { suggestion: adopted, status: 'open' },
            after: {
              suggestion: adopted,
              status: 'adopted',
              entityRef: adoptedRef,
            },
            requestId: expect.any(String),
          }),
        ]),
      );

      // Merged: the annotation is an overlay on the entity.
      const mergedInto = (
        await api().get(`${BASE}/projects/component/default/${target.name}`)
      ).body as ProjectView;
      expect(
        mergedInto.fields.find(
          f => f.key === 'annotation:pagerduty.com/service-id',
        ),
      ).toMatchObject({
        owner: 'ui',
        value: merged.slice('pagerduty:'.length),
      });
      // Refused actions are in the audit log too.
      expect(await audit({ action: 'discovery.merge' })).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            outcome: 'refused',
            entityRef: `component:default/${taken.name}`,
          }),
          expect.objectContaining({
            outcome: 'succeeded',
            entityRef: `component:default/${target.name}`,
          }),
        ]),
      );

      // Deciding again is a conflict; a rescan revives nothing.
      const again = await act([{ id: ignored, action: 'adopt' }]);
      expect(again.body.results[0]).toMatchObject({ ok: false, status: 409 });
      await scan();
      const all = await suggestions();
      const statusOf = (id: string) => all.find(s => s.id === id)?.status;
      expect(
        [ignored, adopted, merged, yamlOwned, clashing].map(statusOf),
      ).toEqual(['ignored', 'adopted', 'merged', 'open', 'open']);
      expect(all.find(s => s.id === ignored)).toMatchObject({
        reason: 'a prototype, deleted next week',
        decidedBy: 'user:default/mock',
      });
      const page = await api()
        .get(`${BASE}/discovery/suggestions`)
        .query({ status: 'open' });
      expect(page.body.counts).toEqual({
        open: repos.length + services.length - 3,
        ignored: 1,
        adopted: 1,
        merged: 1,
      });
    });

    it('refuses scans and decisions without project-catalog.discovery.review, and records it', async () => {
      await scan();
      backend.deny.add(REVIEW);
      const { repos } = expectedDiscoveries(sandbox);
      const id = `github:${repos[0].fullName.toLowerCase()}`;
      const res = await act([{ id, action: 'ignore', reason: 'no' }]);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(REVIEW);
      expect((await api().post(`${BASE}/discovery/scan`)).status).toBe(403);
      // Reading needs a signed-in user, not the permission.
      expect((await suggestions()).find(s => s.id === id)?.status).toBe('open');
      expect(
        (
          await api()
            .get(`${BASE}/discovery/suggestions`)
            .set('authorization', mockCredentials.none.header())
        ).status,
      ).toBe(401);
      expect(await audit({ action: 'discovery.review' })).toEqual([
        expect.objectContaining({
          outcome: 'refused',
          reason: expect.stringContaining(REVIEW),
        }),
      ]);
    });

    it('describes its routes in the OpenAPI document', async () => {
      const doc = (await api().get(`${BASE}/openapi.json`)).body;
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/discovery/suggestions',
          '/discovery/status',
          '/discovery/scan',
          '/discovery/suggestions/actions',
        ]),
      );
      const body =
        doc.paths['/discovery/suggestions/actions'].post.requestBody.content[
          'application/json'
        ].schema;
      expect(JSON.stringify(body)).toContain('"adopt"');
    });

    it('answers bad input with a 400 naming the field', async () => {
      const cases: Array<[unknown, string]> = [
        [
          { actions: [{ id: 'github:acme/x', action: 'ignore' }] },
          'actions[0].reason: required',
        ],
        [
          { actions: [{ id: 'github:acme/x', action: 'delete' }] },
          'actions[0].action: must be adopt, ignore or merge',
        ],
        [
          { actions: [{ id: 'nope', action: 'ignore', reason: 'x' }] },
          'actions[0].id: must be a suggestion id',
        ],
        [
          {
            actions: [
              {
                id: 'github:acme/x',
                action: 'adopt',
                edits: { type: 'database' },
              },
            ],
          },
          'actions[0].edits.type: must be one of',
        ],
        [
          {
            actions: [
              { id: 'github:acme/x', action: 'merge', entityRef: 'not a ref' },
            ],
          },
          'actions[0].entityRef: must be an entity reference',
        ],
        [
          {
            actions: [
              { id: 'github:acme/x', action: 'ignore', reason: 'x' },
              { id: 'github:acme/x', action: 'adopt' },
            ],
          },
          'actions[1].id: github:acme/x is also in actions[0]',
        ],
        [{ actions: [] }, 'actions: must have at least one action'],
      ];
      for (const [body, message] of cases) {
        const res = await api()
          .post(`${BASE}/discovery/suggestions/actions`)
          .send(body as object);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 400,
          message: expect.stringContaining(message),
        });
      }
      const query = await api()
        .get(`${BASE}/discovery/suggestions`)
        .query({ status: 'done' });
      expect(query.status).toBe(400);
      expect(query.body.error.message).toContain(
        'status: must be one of open, adopted, ignored, merged',
      );

      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async body => {
          const r = await api()
            .post(`${BASE}/discovery/suggestions/actions`)
            .send({ actions: [body] });
          expect(r.status).toBe(400);
        }),
        { numRuns: 25 },
      );
    });

    it('keeps the last suggestions of an upstream that fails, and says why', async () => {
      await scan();
      const before = await suggestions();
      sandbox.setFaults('github', { unauthorized: true });
      sandbox.setFaults('pagerduty', {
        rateLimit: { rate: 1, retryAfterSec: 1 },
      });
      const status = await scan();
      expect(status.upstreams).toEqual([
        expect.objectContaining({
          id: 'github',
          status: 'unauthorized',
          message: expect.stringMatching(
            /401.*showing the suggestions of the scan of /,
          ),
          lastSuccessAt: expect.any(String),
        }),
        expect.objectContaining({
          id: 'pagerduty',
          status: 'rate-limited',
          message: expect.stringContaining(
            'showing the suggestions of the scan of',
          ),
        }),
      ]);
      expect(await suggestions()).toEqual(before);

      // One upstream failing leaves the other's scan alone.
      sandbox.setFaults('pagerduty', undefined);
      const mixed = await scan();
      expect(mixed.upstreams.map(u => u.status)).toEqual([
        'unauthorized',
        'ok',
      ]);
    });

    it('answers 503 when the database fails, with nothing half-written', async () => {
      await scan();
      const before = await suggestions();
      await knex.schema.dropTable('pc_discovery_scans');
      const res = await api().post(`${BASE}/discovery/scan`);
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(
        /^The Project Catalog database failed/,
      );
      expect(await suggestions()).toEqual(before);

      await knex.schema.dropTable('pc_discovery_suggestions');
      const actions = await act([
        { id: before[0].id, action: 'ignore', reason: 'x' },
      ]);
      expect(actions.body.results[0]).toMatchObject({
        ok: false,
        status: 503,
        error: { name: 'ServiceUnavailableError' },
      });
      expect((await api().get(`${BASE}/discovery/suggestions`)).status).toBe(
        503,
      );
    });
  },
);
