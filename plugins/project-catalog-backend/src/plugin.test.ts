import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import {
  PROJECT_CATALOG_TOPIC,
  ProjectView,
} from '@dash-suite/plugin-project-catalog-common';
import { ResponseError } from '@backstage/errors';
import fc from 'fast-check';
import request from 'supertest';
import { parse } from 'yaml';
import {
  ProjectCatalogTestBackend,
  startProjectCatalog,
  yamlEntity,
} from './__testUtils__/startProjectCatalog';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

// Built at run time so that the linter sees test data, not a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

const PAYMENTS = 'component:default/payments-api';
const DOCS = 'component:default/docs-site';

const entities = [
  yamlEntity('payments-api', {
    metadata: { labels: { tier: '1' }, tags: ['go', 'pci'] },
  }),
  yamlEntity('ledger-service', {
    metadata: {
      description: 'Books payments',
      annotations: {
        'backstage.io/managed-by-location':
          'file:/srv/catalog-info/components.yaml',
        // The processor reported: the UI set the description, then YAML defined it.
        'project-catalog/shadowed-fields': 'description',
      },
    },
    relations: [
      { type: 'dependsOn', targetRef: PAYMENTS },
      { type: 'ownedBy', targetRef: 'group:default/team-ledger' },
    ],
    spec: { dependsOn: [PAYMENTS] },
  }),
  yamlEntity('docs-site', { spec: { type: 'website' } }),
  yamlEntity('secret-service'),
  yamlEntity('checkout-web', {
    spec: { type: 'website', dependsOn: ['component:default/legacy-lib'] },
    relations: [
      { type: 'dependsOn', targetRef: 'component:default/legacy-lib' },
      { type: 'ownedBy', targetRef: 'group:default/team-web' },
    ],
  }),
];

const field = (view: ProjectView, key: string) =>
  view.fields.find(f => f.key === key)!;

describe.each(databases.eachSupportedId())(
  'Project Catalog backend on %p',
  databaseId => {
    let backend: ProjectCatalogTestBackend;

    beforeEach(async () => {
      backend = await startProjectCatalog({
        knex: await databases.init(databaseId),
        entities,
      });
    });

    const api = () => request(backend.server);
    const audit = async (query: Record<string, string>) =>
      (await api().get('/api/project-catalog/audit').query(query)).body;

    it('creates a project without YAML, serves it to the catalog module, exports it and deletes it', async () => {
      const res = await api()
        .post('/api/project-catalog/projects')
        .send({
          name: 'fraud-scorer',
          title: 'Fraud scorer',
          type: 'service',
          owner: 'team-payments',
          lifecycle: 'experimental',
          tier: '2',
          tags: ['python', 'ml'],
          links: [
            {
              url: 'https://runbooks.acme.example/fraud',
              title: 'Runbook',
              group: 'Operate',
            },
          ],
          annotations: { 'github.com/project-slug': 'acme/fraud-scorer' },
        });
      expect(res.status).toBe(201);
      const ref = 'component:default/fraud-scorer';
      expect(res.body.entityRef).toBe(ref);
      expect(res.body.origin).toBe('ui');
      expect(res.body.version).toBe(1);
      expect(field(res.body, 'owner')).toMatchObject({
        owner: 'ui',
        value: 'group:default/team-payments',
      });
      expect(backend.published).toEqual([
        {
          topic: PROJECT_CATALOG_TOPIC,
          eventPayload: { entityRef: ref, kind: 'project', revision: 1 },
        },
      ]);

      // The catalog module reads it as a whole entity.
      const feed = await api()
        .get('/api/project-catalog/catalog-feed')
        .set('authorization', mockCredentials.service.header());
      expect(feed.status).toBe(200);
      expect(feed.headers.etag).toBe('"1"');
      const [project] = feed.body.projects;
      expect(project).toMatchObject({
        kind: 'Component',
        metadata: {
          name: 'fraud-scorer',
          title: 'Fraud scorer',
          labels: { tier: '2' },
          tags: ['python', 'ml'],
          links: [
            {
              url: 'https://runbooks.acme.example/fraud',
              title: 'Runbook',
              type: 'Operate',
            },
          ],
          annotations: {
            'project-catalog/origin': 'ui',
            'backstage.io/managed-by-location':
              'project-catalog:component:default/fraud-scorer',
            'github.com/project-slug': 'acme/fraud-scorer',
          },
        },
        spec: {
          type: 'service',
          lifecycle: 'experimental',
          owner: 'group:default/team-payments',
        },
      });

      const exported = await api().get(
        '/api/project-catalog/projects/component/default/fraud-scorer/catalog-info.yaml',
      );
      expect(exported.status).toBe(200);
      expect(exported.headers['content-type']).toMatch(/yaml/);
      const doc = parse(exported.text);
      expect(doc.metadata.annotations).toEqual({
        'github.com/project-slug': 'acme/fraud-scorer',
      });
      expect(doc.spec.owner).toBe('group:default/team-payments');

      const del = await api().delete(
        '/api/project-catalog/projects/component/default/fraud-scorer',
      );
      expect(del.status).toBe(204);
      const after = await api()
        .get('/api/project-catalog/catalog-feed')
        .set('authorization', mockCredentials.service.header());
      expect(after.body.projects).toEqual([]);
      expect(after.body.revision).toBe(2);

      // The history of a deleted project stays readable: there is no entity left to hide.
      const log = await audit({ entityRef: ref });
      expect(log.entries.map((e: any) => `${e.action}:${e.outcome}`)).toEqual([
        'project.delete:succeeded',
        'project.create:succeeded',
      ]);
      expect(log.entries[0].before).toMatchObject({ tier: '2' });
    });

    it('refuses a name the catalog has, or would reject, naming the field or the entity', async () => {
      const clash = await api().post('/api/project-catalog/projects').send({
        name: 'payments-api',
        type: 'service',
        owner: 'team-payments',
        lifecycle: 'production',
      });
      expect(clash.status).toBe(409);
      expect(clash.body.error.message).toContain(PAYMENTS);
      expect(clash.body.error.message).toContain(
        'file:/srv/catalog-info/components.yaml',
      );

      const bad = await api()
        .post('/api/project-catalog/projects')
        .send({
          name: 'Not a name!',
          type: 'daemon',
          owner: 'team-payments',
          lifecycle: 'production',
          links: [{ url: SCRIPT_URL, title: 'x' }],
          description: `a${'\u0000'}b`,
        });
      expect(bad.status).toBe(400);
      const message: string = bad.body.error.message;
      expect(message).toContain('name:');
      expect(message).toContain('type:');
      expect(message).toContain(
        'links[0].url: must be an http:// or https:// URL',
      );
      expect(message).toContain(
        'description: must not contain control characters',
      );

      const unknown = await api().post('/api/project-catalog/projects').send({
        name: 'x',
        type: 'tool',
        owner: 'team-sre',
        lifecycle: 'production',
        colour: 'red',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('colour');
    });

    it('edits a YAML entity per field, refuses YAML-owned fields and stale versions, and audits each', async () => {
      const path =
        '/api/project-catalog/projects/component/default/payments-api';
      const before = await api().get(path);
      expect(before.status).toBe(200);
      expect(before.body.version).toBe(0);
      expect(field(before.body, 'tier')).toEqual({
        key: 'tier',
        owner: 'yaml',
        value: '1',
        definedIn: 'file:/srv/catalog-info/components.yaml',
      });
      expect(field(before.body, 'description').owner).toBe('unset');

      const yamlOwned = await api()
        .patch(path)
        .send({ version: 0, set: { tier: '2' } });
      expect(yamlOwned.status).toBe(409);
      expect(yamlOwned.body.error.message).toBe(
        'tier is defined in file:/srv/catalog-info/components.yaml (field tier); change it there, or remove it from the YAML to edit it here',
      );

      const ok = await api()
        .patch(path)
        .set('x-request-id', 'req-42')
        .send({
          version: 0,
          set: {
            description: 'Authorises payments',
            'annotation:kibana/log-query': 'service.name:"payments-api"',
          },
        });
      expect(ok.status).toBe(200);
      expect(ok.body.version).toBe(1);
      expect(field(ok.body, 'description')).toMatchObject({
        owner: 'ui',
        value: 'Authorises payments',
      });
      expect(backend.published.at(-1)?.eventPayload).toEqual({
        entityRef: PAYMENTS,
        kind: 'overlay',
        revision: 1,
      });

      const stale = await api()
        .patch(path)
        .send({ version: 0, set: { description: 'Mine' } });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toContain('user:default/mock');
      // A client built on ResponseError keeps the body, and so `current`.
      const clientError = await ResponseError.fromResponse(
        new Response(JSON.stringify(stale.body), {
          status: 409,
          headers: { 'content-type': 'application/json' },
        }),
      );
      expect((clientError.body as any).current.version).toBe(1);
      expect(stale.body.current.version).toBe(1);
      expect(field(stale.body.current, 'description').value).toBe(
        'Authorises payments',
      );

      const log = await audit({ entityRef: PAYMENTS });
      expect(
        log.entries.map((e: any) => [e.action, e.field, e.outcome]),
      ).toEqual([
        ['project.update', 'description', 'refused'],
        ['project.update', 'annotation:kibana/log-query', 'succeeded'],
        ['project.update', 'description', 'succeeded'],
        ['project.update', 'tier', 'refused'],
      ]);
      const saved = log.entries.find(
        (e: any) => e.field === 'description' && e.outcome === 'succeeded',
      );
      expect(saved).toMatchObject({
        actor: 'user:default/mock',
        requestId: 'req-42',
        after: 'Authorises payments',
      });
      expect(saved.before).toBeUndefined();
      expect(backend.auditEvents.map(e => `${e.eventId}:${e.outcome}`)).toEqual(
        [
          'project-update:fail',
          'project-update:success',
          'project-update:fail',
        ],
      );
    });

    it('reports a UI edit that YAML now defines as shadowed, not dropped', async () => {
      const path =
        '/api/project-catalog/projects/component/default/ledger-service';
      // Stored before YAML defined the description (the processor reports it as shadowed).
      const set = await api()
        .patch(path)
        .send({ version: 0, set: { tags: ['go'] } });
      expect(set.status).toBe(200);
      const view = await api().get(path);
      expect(field(view.body, 'description')).toMatchObject({
        owner: 'yaml',
        value: 'Books payments',
      });
      const refused = await api()
        .patch(path)
        .send({ version: 1, set: { description: 'Mine' } });
      expect(refused.status).toBe(409);
      expect(field(view.body, 'tags')).toMatchObject({
        owner: 'ui',
        value: ['go'],
        overlay: { value: ['go'], shadowed: false },
      });
    });

    it('checks permissions on every write and records the refusal', async () => {
      backend.deny.add('project-catalog.metadata.update');
      backend.deny.add('project-catalog.project.create');
      const patch = await api()
        .patch('/api/project-catalog/projects/component/default/docs-site')
        .send({ version: 0, set: { tier: '3' } });
      expect(patch.status).toBe(403);
      expect(patch.body.error.message).toBe(
        'user:default/mock is not allowed to project-catalog.metadata.update on component:default/docs-site',
      );
      const post = await api().post('/api/project-catalog/projects').send({
        name: 'new-tool',
        type: 'tool',
        owner: 'team-sre',
        lifecycle: 'experimental',
      });
      expect(post.status).toBe(403);
      const log = await audit({ entityRef: DOCS });
      expect(log.entries).toMatchObject([
        {
          action: 'project.update',
          field: 'tier',
          outcome: 'refused',
          reason: expect.stringContaining('not allowed'),
        },
      ]);
      const view = await api().get(
        '/api/project-catalog/projects/component/default/docs-site',
      );
      expect(field(view.body, 'tier').owner).toBe('unset');
    });

    it('refuses to delete an entity that YAML defines, and unknown ones', async () => {
      const yaml = await api().delete(
        '/api/project-catalog/projects/component/default/payments-api',
      );
      expect(yaml.status).toBe(409);
      expect(yaml.body.error.message).toContain(
        'file:/srv/catalog-info/components.yaml',
      );
      const missing = await api().delete(
        '/api/project-catalog/projects/component/default/nothing-here',
      );
      expect(missing.status).toBe(404);
    });

    it('validates every edited value by its field, naming it', async () => {
      const path = '/api/project-catalog/projects/component/default/docs-site';
      const cases: Array<[Record<string, unknown>, string]> = [
        [
          { type: 'daemon' },
          'set.type: must be one of service, tool, library, website',
        ],
        [{ tags: ['Not A Tag'] }, 'set.tags[0]: must be lower-case'],
        [
          { links: [{ url: 'data:text/html,hi', title: 'x' }] },
          'set.links[0].url: must be an http:// or https:// URL',
        ],
        [{ owner: '::' }, 'set.owner: must be an entity reference'],
        [{ colour: 'red' }, 'set.colour: unknown field'],
        [
          { description: 'x'.repeat(2001) },
          'set.description: must be at most 2000 characters',
        ],
      ];
      for (const [set, message] of cases) {
        const res = await api().patch(path).send({ version: 0, set });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(message);
      }
      const empty = await api().patch(path).send({ version: 0 });
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toBe(
        'set: nothing to change (set and unset are empty)',
      );
    });

    it('notifies the owners of dependents when a project is deprecated', async () => {
      const created = await api().post('/api/project-catalog/projects').send({
        name: 'legacy-lib',
        type: 'library',
        owner: 'team-payments',
        lifecycle: 'production',
      });
      expect(created.status).toBe(201);
      const path = '/api/project-catalog/projects/component/default/legacy-lib';
      const tier = await api()
        .patch(path)
        .send({ version: 1, set: { tier: '3' } });
      expect(tier.status).toBe(200);
      expect(backend.notifications).toEqual([]);
      const res = await api()
        .patch(path)
        .send({
          version: 2,
          set: { lifecycle: 'deprecated' },
          reason: 'Use payments-sdk v3',
        });
      expect(res.status).toBe(200);
      expect(backend.notifications).toEqual([
        {
          recipients: {
            type: 'entity',
            entityRef: ['group:default/team-web'],
            excludeEntityRef: 'user:default/mock',
          },
          payload: expect.objectContaining({
            title: 'component:default/legacy-lib is deprecated',
            description:
              'user:default/mock marked component:default/legacy-lib as deprecated: Use payments-sdk v3. Your component:default/checkout-web depends on it.',
            link: '/catalog/default/component/legacy-lib',
            severity: 'high',
          }),
        },
      ]);
      // Already deprecated: no second notification.
      await api()
        .patch(path)
        .send({ version: 3, set: { lifecycle: 'deprecated', tier: '4' } });
      expect(backend.notifications).toHaveLength(1);
    });

    it('serves the audit log only for entities the caller may read, with cursor paging', async () => {
      const secret = await api()
        .patch('/api/project-catalog/projects/component/default/secret-service')
        .send({ version: 0, set: { tier: '3' } });
      expect(secret.status).toBe(404);
      for (let i = 0; i < 3; i++) {
        const res = await api()
          .patch('/api/project-catalog/projects/component/default/docs-site')
          .send({ version: i, set: { tier: String(i + 1) } });
        expect(res.status).toBe(200);
      }
      const first = await audit({ limit: '2' });
      expect(first.entries.map((e: any) => e.after)).toEqual(['3', '2']);
      expect(first.nextCursor).toBeDefined();
      const second = await audit({ limit: '2', cursor: first.nextCursor });
      expect(second.entries.map((e: any) => e.after)).toEqual(['1']);
      // The refused edit of the hidden entity is in the log, but not shown to this user.
      expect(
        second.entries.some((e: any) => e.entityRef?.includes('secret')),
      ).toBe(false);
      expect(second.nextCursor).toBeUndefined();
      const hidden = await api()
        .get('/api/project-catalog/audit')
        .query({ entityRef: 'component:default/secret-service' });
      expect(hidden.status).toBe(404);
      const badCursor = await api()
        .get('/api/project-catalog/audit')
        .query({ cursor: 'abc' });
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.error.message).toContain('cursor:');
    });

    it('serves the catalog feed to services only, with a 304 when unchanged', async () => {
      const user = await api().get('/api/project-catalog/catalog-feed');
      expect([401, 403]).toContain(user.status);
      const first = await api()
        .get('/api/project-catalog/catalog-feed')
        .set('authorization', mockCredentials.service.header());
      expect(first.status).toBe(200);
      const again = await api()
        .get('/api/project-catalog/catalog-feed')
        .set('authorization', mockCredentials.service.header())
        .set('if-none-match', first.headers.etag);
      expect(again.status).toBe(304);
      await api()
        .patch('/api/project-catalog/projects/component/default/docs-site')
        .send({ version: 0, set: { tags: ['docs'] } });
      const changed = await api()
        .get('/api/project-catalog/catalog-feed')
        .set('authorization', mockCredentials.service.header())
        .set('if-none-match', first.headers.etag);
      expect(changed.status).toBe(200);
      expect(changed.body.overlays).toEqual([
        { entityRef: DOCS, fields: { tags: ['docs'] } },
      ]);
    });

    it('answers generated bad bodies with 400s, never a 500', async () => {
      const value = fc.oneof(
        fc.string(),
        fc.integer(),
        fc.constant(null),
        fc.array(fc.string(), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string(), { maxKeys: 3 }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.record(
            {
              name: value,
              type: value,
              owner: value,
              lifecycle: value,
              tags: value,
              links: value,
              annotations: value,
            },
            { requiredKeys: [] },
          ),
          fc.dictionary(
            fc.constantFrom(
              'tier',
              'tags',
              'links',
              'owner',
              'description',
              'x',
            ),
            value,
          ),
          async (body, set) => {
            const post = await api()
              .post('/api/project-catalog/projects')
              .send(body);
            expect([201, 400, 409]).toContain(post.status);
            const patch = await api()
              .patch(
                '/api/project-catalog/projects/component/default/docs-site',
              )
              .send({ version: 0, set });
            expect([200, 400, 409]).toContain(patch.status);
          },
        ),
        { numRuns: 40 },
      );
    });

    if (databaseId === 'POSTGRES_15') {
      it('serves an edit made on one instance from another on the same database', async () => {
        const knex = await databases.init(databaseId);
        const a = await startProjectCatalog({ knex, entities });
        const b = await startProjectCatalog({ knex, entities });
        const path =
          '/api/project-catalog/projects/component/default/docs-site';
        const edit = await request(a.server)
          .patch(path)
          .send({ version: 0, set: { tier: '2', tags: ['docs'] } });
        expect(edit.status).toBe(200);
        const read = await request(b.server).get(path);
        expect(read.body.version).toBe(1);
        expect(field(read.body, 'tier')).toMatchObject({
          owner: 'ui',
          value: '2',
        });
        const stale = await request(b.server)
          .patch(path)
          .send({ version: 0, set: { tier: '3' } });
        expect(stale.status).toBe(409);
        const feed = await request(b.server)
          .get('/api/project-catalog/catalog-feed')
          .set('authorization', mockCredentials.service.header());
        expect(feed.body.overlays).toEqual([
          { entityRef: DOCS, fields: { tier: '2', tags: ['docs'] } },
        ]);
      });
    }
  },
);
