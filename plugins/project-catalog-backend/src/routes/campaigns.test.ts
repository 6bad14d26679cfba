import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { Campaign } from '@dash-suite/plugin-project-catalog-common';
import { Knex } from 'knex';
import request from 'supertest';
import {
  ProjectCatalogTestBackend,
  startProjectCatalog,
  yamlEntity,
} from '../__testUtils__/startProjectCatalog';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const BASE = '/api/project-catalog';
const MANAGE = 'project-catalog.campaign.manage';
const UPDATE = 'project-catalog.metadata.update';
const AMARA = 'user:default/amara.okafor';
const PAYMENTS = 'group:default/team-payments';
const SRE = 'group:default/team-sre';
const PD = 'pagerduty.com/service-id';

const owned = (team: string) => [{ type: 'ownedBy', targetRef: team }];
const entities = [
  yamlEntity('payments-api', {
    metadata: { annotations: { [PD]: 'PPAYAPI' }, tags: ['go'] },
    relations: owned(PAYMENTS),
  }),
  yamlEntity('ledger-service', { relations: owned(PAYMENTS) }),
  yamlEntity('oncall-cli', {
    spec: { type: 'tool', owner: SRE },
    relations: owned(SRE),
  }),
  yamlEntity('secret-service', { relations: owned(PAYMENTS) }),
  yamlEntity('docs-site', { spec: { type: 'website' }, relations: owned(SRE) }),
];

const createBody = {
  id: 'pd-everywhere',
  title: 'Every service declares its PagerDuty service',
  owner: 'team-sre',
  startsAt: '2026-11-16',
  deadline: '2027-02-26T17:00:00Z',
  scope: { kind: ['Component'], type: ['service', 'tool'] },
  check: { type: 'entity-field', config: { annotation: PD } },
};

describe.each(databases.eachSupportedId())(
  'Campaign routes on %p',
  databaseId => {
    let backend: ProjectCatalogTestBackend;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startProjectCatalog({
        knex,
        entities,
        config: {
          projectCatalog: {
            campaigns: {
              definitions: [
                {
                  id: 'from-config',
                  title: 'Declared in app-config',
                  owner: 'group:default/team-platform',
                  startsAt: '2026-11-01',
                  deadline: '2027-06-30',
                  scope: { kind: ['component'] },
                  check: { type: 'manual', config: {} },
                },
              ],
            },
          },
        },
      });
    });

    beforeEach(() => backend.deny.clear());

    const api = () => request(backend.server);
    const as = (user: string) => mockCredentials.user.header(user);
    const audit = async (query: Record<string, string>) =>
      (await api().get(`${BASE}/audit`).query(query)).body.entries;

    it('lists the check types with their settings as JSON schema', async () => {
      const res = await api().get(`${BASE}/campaign-check-types`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((t: { id: string }) => t.id).sort()).toEqual([
        'dash-fact',
        'entity-field',
        'manual',
        'repository-file',
      ]);
      const file = res.body.items.find(
        (t: { id: string }) => t.id === 'repository-file',
      );
      expect(file.configSchema.properties.path).toBeDefined();
    });

    it('creates a campaign; refuses bad input naming the field, and callers without campaign.manage, with audit rows', async () => {
      const bad = async (body: object, message: RegExp) => {
        const res = await api()
          .post(`${BASE}/campaigns`)
          .set('authorization', as(AMARA))
          .send(body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(message);
      };
      await bad(
        { ...createBody, id: 'PD Everywhere' },
        /^id: must be lower-case/,
      );
      await bad(
        { ...createBody, deadline: '2026-01-01' },
        /^deadline: must be after startsAt/,
      );
      await bad(
        { ...createBody, startsAt: 'soon' },
        /^startsAt: must be an ISO 8601 date/,
      );
      await bad(
        { ...createBody, scope: {} },
        /^scope: must name at least one of kind/,
      );
      await bad(
        { ...createBody, scope: { colour: ['red'] } },
        /^scope: Unrecognized key/i,
      );
      await bad(
        { ...createBody, check: { type: 'sonar', config: {} } },
        /^check\.type: unknown check type 'sonar'; known types are/,
      );
      await bad(
        {
          ...createBody,
          check: {
            type: 'entity-field',
            config: { annotation: PD, label: 'tier' },
          },
        },
        /^check\.config: set exactly one of annotation, label or field/,
      );
      await bad(
        {
          ...createBody,
          check: { type: 'repository-file', config: { path: '../etc/passwd' } },
        },
        /^check\.config\.path: must be a relative path/,
      );
      await bad(
        {
          ...createBody,
          check: {
            type: 'entity-field',
            config: { annotation: PD, matches: '(' },
          },
        },
        /^check\.config\.matches: must be a regular expression/,
      );

      backend.deny.add(MANAGE);
      const refused = await api()
        .post(`${BASE}/campaigns`)
        .set('authorization', as(AMARA))
        .send(createBody);
      expect(refused.status).toBe(403);
      backend.deny.clear();

      const res = await api()
        .post(`${BASE}/campaigns`)
        .set('authorization', as(AMARA))
        .send(createBody);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: 'pd-everywhere',
        owner: SRE,
        startsAt: '2026-11-16T00:00:00.000Z',
        deadline: '2027-02-26T17:00:00.000Z',
        scope: { kind: ['component'], type: ['service', 'tool'] },
        origin: 'ui',
        version: 1,
        createdBy: AMARA,
        counts: { total: 0, done: 0 },
      });
      const again = await api()
        .post(`${BASE}/campaigns`)
        .set('authorization', as(AMARA))
        .send(createBody);
      expect(again.status).toBe(409);

      const rows = await audit({ action: 'campaign.create', actor: AMARA });
      const outcomes = rows.map((r: { outcome: string }) => r.outcome);
      expect(outcomes.filter((o: string) => o === 'succeeded')).toHaveLength(1);
      expect(outcomes.filter((o: string) => o === 'refused').length).toBe(11);
      const created = rows.find(
        (r: { outcome: string }) => r.outcome === 'succeeded',
      );
      expect(created).toMatchObject({
        actor: AMARA,
        field: 'campaign:pd-everywhere',
        after: {
          title: createBody.title,
          owner: SRE,
          deadline: '2027-02-26T17:00:00.000Z',
        },
      });
      expect(created.requestId).toBeDefined();
      const forbidden = rows.find((r: { reason?: string }) =>
        /not allowed/.test(r.reason ?? ''),
      );
      expect(forbidden).toMatchObject({
        actor: AMARA,
        outcome: 'refused',
        field: 'campaign:pd-everywhere',
      });
    });

    it('reads campaigns; the config-owned one is read-only', async () => {
      const list = await api().get(`${BASE}/campaigns`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: Campaign) => [c.id, c.origin])).toEqual(
        expect.arrayContaining([
          ['pd-everywhere', 'ui'],
          ['from-config', 'config'],
        ]),
      );
      expect(
        (await api().get(`${BASE}/campaigns/pd-everywhere`)).body.title,
      ).toBe(createBody.title);
      expect((await api().get(`${BASE}/campaigns/nope`)).status).toBe(404);
      const badId = await api().get(`${BASE}/campaigns/NOPE`);
      expect(badId.status).toBe(400);
      expect(badId.body.error.message).toMatch(/^id: must be lower-case/);

      const patch = await api()
        .patch(`${BASE}/campaigns/from-config`)
        .send({ version: 1, title: 'x' });
      expect(patch.status).toBe(409);
      expect(patch.body.error.message).toMatch(/defined in app-config/);
      expect(
        (
          await api()
            .delete(`${BASE}/campaigns/from-config`)
            .query({ version: 1 })
        ).status,
      ).toBe(409);
    });

    it('changes a campaign at the version read: a stale version is a 409 with the campaign as it is', async () => {
      const res = await api()
        .patch(`${BASE}/campaigns/pd-everywhere`)
        .set('authorization', as(AMARA))
        .send({
          version: 1,
          title: 'PagerDuty for every service',
          deadline: '2027-03-31',
        });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        version: 2,
        title: 'PagerDuty for every service',
        updatedBy: AMARA,
      });
      const stale = await api()
        .patch(`${BASE}/campaigns/pd-everywhere`)
        .send({ version: 1, title: 'Lost update' });
      expect(stale.status).toBe(409);
      expect(stale.body.current).toMatchObject({
        version: 2,
        title: 'PagerDuty for every service',
      });
      const nothing = await api()
        .patch(`${BASE}/campaigns/pd-everywhere`)
        .send({ version: 2 });
      expect(nothing.status).toBe(400);
      expect(nothing.body.error.message).toMatch(/^version: nothing to change/);
      const early = await api()
        .patch(`${BASE}/campaigns/pd-everywhere`)
        .send({ version: 2, deadline: '2026-01-01' });
      expect(early.status).toBe(400);
      expect(early.body.error.message).toMatch(
        /^deadline: must be after startsAt/,
      );

      const rows = (await audit({ action: 'campaign.update' })).filter(
        (r: { field: string }) => r.field.startsWith('campaign:pd-everywhere'),
      );
      const fields = rows
        .filter((r: { outcome: string }) => r.outcome === 'succeeded')
        .map((r: { field: string; before: unknown; after: unknown }) => [
          r.field,
          r.before,
          r.after,
        ]);
      expect(fields).toEqual(
        expect.arrayContaining([
          [
            'campaign:pd-everywhere/title',
            createBody.title,
            'PagerDuty for every service',
          ],
          [
            'campaign:pd-everywhere/deadline',
            '2027-02-26T17:00:00.000Z',
            '2027-03-31T00:00:00.000Z',
          ],
        ]),
      );
      expect(
        rows.filter((r: { outcome: string }) => r.outcome === 'refused'),
      ).toHaveLength(3);
    });

    it('evaluates on demand and pages the statuses; entities the caller may not read are left out', async () => {
      backend.deny.add(MANAGE);
      expect(
        (await api().post(`${BASE}/campaigns/pd-everywhere/evaluate`)).status,
      ).toBe(403);
      backend.deny.clear();
      const run = await api()
        .post(`${BASE}/campaigns/pd-everywhere/evaluate`)
        .query({ wait: 'true' });
      expect(run.status).toBe(200);
      // payments-api, ledger-service, oncall-cli and secret-service are in scope; docs-site is not.
      expect(run.body.counts).toMatchObject({ done: 1, failing: 3, total: 4 });
      // The owners of the entities not done are told it started: one notification per team.
      const started = () =>
        backend.notifications.filter(
          n => n.payload.topic === 'project-catalog.campaign.started',
        );
      expect(started().map(n => [n.recipients, n.payload.title])).toEqual(
        expect.arrayContaining([
          [
            { type: 'entity', entityRef: [PAYMENTS] },
            expect.stringContaining('started for 2 of your entities'),
          ],
          [
            { type: 'entity', entityRef: [SRE] },
            expect.stringContaining('started for oncall-cli'),
          ],
        ]),
      );
      expect(started()).toHaveLength(2);
      expect(
        (
          await api()
            .post(`${BASE}/campaigns/pd-everywhere/evaluate`)
            .query({ wait: 'true' })
        ).body.notificationsSent,
      ).toBe(0);
      expect(started()).toHaveLength(2);
      const badWait = await api()
        .post(`${BASE}/campaigns/pd-everywhere/evaluate`)
        .query({ wait: 'yes' });
      expect(badWait.status).toBe(400);
      expect(badWait.body.error.message).toMatch(
        /^wait: must be true or false/,
      );

      const page1 = await api()
        .get(`${BASE}/campaigns/pd-everywhere/entities`)
        .query({ limit: 2 });
      expect(page1.status).toBe(200);
      expect(
        page1.body.items.map((s: { entityRef: string }) => s.entityRef),
      ).toEqual([
        'component:default/ledger-service',
        'component:default/oncall-cli',
      ]);
      const page2 = await api()
        .get(`${BASE}/campaigns/pd-everywhere/entities`)
        .query({ limit: 2, cursor: page1.body.nextCursor });
      // secret-service is on this page in the database, but the caller may not read it.
      expect(
        page2.body.items.map((s: { entityRef: string; status: string }) => [
          s.entityRef,
          s.status,
        ]),
      ).toEqual([['component:default/payments-api', 'done']]);
      expect(page2.body.nextCursor).toBeUndefined();
      const failing = await api()
        .get(`${BASE}/campaigns/pd-everywhere/entities`)
        .query({ status: 'failing,error', owner: 'team-payments' });
      expect(failing.body.items).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/ledger-service',
          owner: PAYMENTS,
          status: 'failing',
          detail: `annotation ${PD} is not set`,
        }),
      ]);
      const bad = await api()
        .get(`${BASE}/campaigns/pd-everywhere/entities`)
        .query({ status: 'finished' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(
        /^status\[0\]: must be one of pending/,
      );
      expect(
        (await api().get(`${BASE}/campaigns/pd-everywhere`)).body.counts,
      ).toMatchObject({ done: 1, failing: 3, total: 4 });
    });

    it("lets the entity's owners say work is in progress, with a note; only managers exempt", async () => {
      const ledger = `${BASE}/campaigns/pd-everywhere/entities/component/default/ledger-service`;
      backend.deny.add(MANAGE); // an owner: may edit the entity's metadata, may not manage campaigns
      const done = await api()
        .put(`${ledger}/manual`)
        .send({ status: 'done', note: 'Trust me' });
      expect(done.status).toBe(400);
      expect(done.body.error.message).toMatch(
        /^status: campaign pd-everywhere is decided by its entity-field check/,
      );
      const noNote = await api()
        .put(`${ledger}/manual`)
        .send({ status: 'in-progress' });
      expect(noNote.status).toBe(400);
      expect(noNote.body.error.message).toMatch(/^note: /);
      const res = await api()
        .put(`${ledger}/manual`)
        .set('authorization', as(AMARA))
        .send({
          status: 'in-progress',
          note: 'Service being created in PagerDuty, PD-123',
        });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'in-progress',
        detail: 'Service being created in PagerDuty, PD-123',
        manual: { status: 'in-progress', by: AMARA },
      });
      const exempt = await api()
        .put(`${ledger}/exemption`)
        .send({ reason: 'Batch job, never paged' });
      expect(exempt.status).toBe(403);
      const docs = `${BASE}/campaigns/pd-everywhere/entities/component/default/docs-site`;
      expect(
        (
          await api()
            .put(`${docs}/manual`)
            .send({ status: 'in-progress', note: 'x' })
        ).status,
      ).toBe(409);

      backend.deny.add(UPDATE); // neither owner nor manager
      expect(
        (
          await api()
            .put(`${ledger}/manual`)
            .send({ status: 'in-progress', note: 'x' })
        ).status,
      ).toBe(403);
      backend.deny.clear();

      const exempted = await api()
        .put(`${ledger}/exemption`)
        .set('authorization', as(AMARA))
        .send({ reason: 'Batch job, never paged' });
      expect(exempted.body).toMatchObject({
        status: 'exempt',
        detail: 'Batch job, never paged',
        exemption: { reason: 'Batch job, never paged', by: AMARA },
      });
      const lifted = await api().delete(`${ledger}/exemption`);
      expect(lifted.body).toMatchObject({ status: 'in-progress' });
      expect((await api().delete(`${ledger}/manual`)).body).toMatchObject({
        status: 'failing',
      });

      const rows = await audit({
        entityRef: 'component:default/ledger-service',
      });
      const summary = rows.map(
        (r: { action: string; outcome: string; field: string }) =>
          `${r.action} ${r.outcome} ${r.field}`,
      );
      expect(summary).toEqual(
        expect.arrayContaining([
          'campaign.status succeeded campaign:pd-everywhere/status',
          'campaign.status refused campaign:pd-everywhere/status',
          'campaign.exempt succeeded campaign:pd-everywhere/exemption',
          'campaign.exempt refused campaign:pd-everywhere/exemption',
          'campaign.unexempt succeeded campaign:pd-everywhere/exemption',
        ]),
      );
      const note = rows.find(
        (r: { action: string; actor: string }) =>
          r.action === 'campaign.status' && r.actor === AMARA,
      );
      expect(note).toMatchObject({
        before: { status: 'failing' },
        after: {
          status: 'in-progress',
          note: 'Service being created in PagerDuty, PD-123',
        },
      });
    });

    it('answers the burn-up history, whole and per team, and the campaigns of one entity', async () => {
      const whole = await api().get(`${BASE}/campaigns/pd-everywhere/history`);
      expect(whole.status).toBe(200);
      const today = new Date().toISOString().slice(0, 10);
      expect(whole.body.points).toEqual([
        {
          day: today,
          counts: expect.objectContaining({ done: 1, failing: 3, total: 4 }),
        },
      ]);
      const teams = await api()
        .get(`${BASE}/campaigns/pd-everywhere/history`)
        .query({ byTeam: 'true' });
      expect(
        teams.body.points.map((p: { team?: string }) => p.team ?? ''),
      ).toEqual(['', PAYMENTS, SRE]);
      const one = await api()
        .get(`${BASE}/campaigns/pd-everywhere/history`)
        .query({ team: 'team-sre' });
      expect(one.body.points).toEqual([
        {
          day: today,
          team: SRE,
          counts: expect.objectContaining({ failing: 1, total: 1 }),
        },
      ]);
      const bad = await api()
        .get(`${BASE}/campaigns/pd-everywhere/history`)
        .query({ from: 'last week' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^from: must be a date/);

      const mine = await api().get(
        `${BASE}/projects/component/default/payments-api/campaigns`,
      );
      expect(mine.status).toBe(200);
      expect(
        mine.body.items.map(
          (i: { campaign: Campaign; status: { status: string } }) => [
            i.campaign.id,
            i.status.status,
          ],
        ),
      ).toEqual([
        ['pd-everywhere', 'done'],
        ['from-config', 'pending'],
      ]);
      expect(
        (
          await api().get(
            `${BASE}/projects/component/default/secret-service/campaigns`,
          )
        ).status,
      ).toBe(404);
    });

    it('describes every campaign route in the OpenAPI document', async () => {
      const doc = (await api().get(`${BASE}/openapi.json`)).body;
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/campaign-check-types',
          '/campaigns',
          '/campaigns/{id}',
          '/campaigns/{id}/entities',
          '/campaigns/{id}/history',
          '/campaigns/{id}/evaluate',
          '/campaigns/{id}/entities/{kind}/{namespace}/{name}/manual',
          '/campaigns/{id}/entities/{kind}/{namespace}/{name}/exemption',
          '/projects/{kind}/{namespace}/{name}/campaigns',
        ]),
      );
      expect(
        doc.paths['/campaigns'].post.requestBody.content['application/json']
          .schema.properties.check,
      ).toBeDefined();
    });

    it('answers a database failure with a 503 and writes nothing half-way', async () => {
      await knex.schema.renameTable(
        'pc_campaign_status',
        'pc_campaign_status_away',
      );
      try {
        const res = await api()
          .put(
            `${BASE}/campaigns/pd-everywhere/entities/component/default/ledger-service/exemption`,
          )
          .send({ reason: 'x' });
        expect(res.status).toBe(503);
      } finally {
        await knex.schema.renameTable(
          'pc_campaign_status_away',
          'pc_campaign_status',
        );
      }
      const rows = await audit({
        entityRef: 'component:default/ledger-service',
        action: 'campaign.exempt',
      });
      expect(rows[0]).toMatchObject({
        outcome: 'failed',
        reason: expect.stringContaining('database failed'),
      });
      const status = await api()
        .get(`${BASE}/campaigns/pd-everywhere/entities`)
        .query({ owner: 'team-payments', status: 'exempt' });
      expect(status.body.items).toEqual([]);
    });

    it('deletes a campaign at the version read', async () => {
      const stale = await api()
        .delete(`${BASE}/campaigns/pd-everywhere`)
        .query({ version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.current.version).toBe(2);
      const noVersion = await api().delete(`${BASE}/campaigns/pd-everywhere`);
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.error.message).toMatch(/^version: /);
      expect(
        (
          await api()
            .delete(`${BASE}/campaigns/pd-everywhere`)
            .query({ version: 2 })
        ).status,
      ).toBe(204);
      expect((await api().get(`${BASE}/campaigns/pd-everywhere`)).status).toBe(
        404,
      );
      const rows = await audit({ action: 'campaign.delete' });
      expect(
        rows.find((r: { outcome: string }) => r.outcome === 'succeeded'),
      ).toMatchObject({
        field: 'campaign:pd-everywhere',
        before: expect.objectContaining({
          title: 'PagerDuty for every service',
        }),
      });
    });
  },
);
