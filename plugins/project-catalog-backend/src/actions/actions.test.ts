import { TestDatabases } from '@backstage/backend-test-utils';
import {
  PROJECT_CATALOG_TOPIC,
  PROJECT_FIELD_KEYS,
  ProjectView,
} from '@dash-suite/plugin-project-catalog-common';
import {
  ALICE,
  APP,
  DOCS,
  DOCS_PATH,
  PAYMENTS,
  PAYMENTS_PATH,
  startActionsBackend,
} from './__testUtils__/actionsBackend';

/**
 * The Project Catalog actions through the test backend's real actions registry (its HTTP invoke
 * route), compared with what the REST routes answer and record, on both databases.
 */

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const valueOf = (view: ProjectView, key: string) =>
  view.fields.find(f => f.key === key)?.value;

/** An audit entry without what differs between two writes of the same edit. */
const shapeOf = (entry: Record<string, unknown>): Record<string, unknown> => {
  const { id, time, requestId, entityRef, ...rest } = entry;
  return {
    ...rest,
    keys: Object.keys(entry).sort(),
    requestId: typeof requestId,
  };
};

describe.each(databases.eachSupportedId())(
  'Project Catalog actions on %p',
  databaseId => {
    it('lists the two actions with their schemas and attributes', async () => {
      const { as } = await startActionsBackend(databases, databaseId);
      const res = await as().get(
        '/api/project-catalog/.backstage/actions/v1/actions',
      );
      expect(res.status).toBe(200);
      const actions = res.body.actions as Array<{
        id: string;
        attributes: Record<string, boolean>;
        schema: {
          input: {
            properties: Record<
              string,
              {
                properties?: Record<string, { type?: string; enum?: string[] }>;
              }
            >;
          };
        };
      }>;
      expect(actions.map(a => a.id).sort()).toEqual([
        'project-catalog:get-project',
        'project-catalog:update-project-metadata',
      ]);
      const get = actions.find(a => a.id === 'project-catalog:get-project')!;
      expect(get.attributes).toEqual({
        readOnly: true,
        idempotent: true,
        destructive: false,
      });
      const update = actions.find(
        a => a.id === 'project-catalog:update-project-metadata',
      )!;
      expect(update.attributes).toEqual({
        readOnly: false,
        idempotent: false,
        destructive: true,
      });
      // Every editable field is offered, typed from its own schema.
      const set = update.schema.input.properties.set.properties!;
      expect(Object.keys(set)).toEqual([...PROJECT_FIELD_KEYS]);
      expect(set.type.enum).toEqual(['service', 'tool', 'library', 'website']);
      expect(set.tags.type).toBe('array');
      expect(set.tier.type).toBe('string');
    });

    it('get-project answers what GET /projects answers, compactly, with links and the entity page', async () => {
      const { invoke, as } = await startActionsBackend(databases, databaseId);
      // A link added in the UI, after the YAML's own.
      const added = await as().patch(PAYMENTS_PATH, {
        version: 0,
        set: {
          links: [
            {
              url: 'https://grafana.acme.example/d/payments',
              title: 'Payments board',
              group: 'Observe',
            },
          ],
        },
      });
      expect(added.status).toBe(200);
      const route = (await as().get(PAYMENTS_PATH)).body as ProjectView;

      const res = await invoke('get-project', { entityRef: 'payments-api' });
      expect(res.status).toBe(200);
      expect(res.body.output).toEqual({
        entityRef: PAYMENTS,
        title: valueOf(route, 'title'),
        type: 'service',
        owner: 'group:default/team-payments',
        system: 'system:default/payments',
        lifecycle: 'production',
        tier: '1',
        tags: ['go', 'pci'],
        description: 'Authorises card payments',
        annotations: {
          'pagerduty.com/service-id': 'PPAY123',
          'github.com/project-slug': 'acme/payments-api',
        },
        links: [
          {
            title: 'Runbook',
            url: 'https://runbooks.acme.example/payments',
            group: 'Operate',
            origin: 'catalog',
          },
          {
            title: 'Payments board',
            url: 'https://grafana.acme.example/d/payments',
            group: 'Observe',
            origin: 'ui',
          },
        ],
        onCall: { pagerDutyServiceId: 'PPAY123', canBePaged: true },
        origin: 'catalog',
        version: route.version,
        yamlOwnedFields: route.fields
          .filter(f => f.owner === 'yaml')
          .map(f => f.key),
        definedIn: 'file:/srv/catalog-info/components.yaml',
        updatedBy: ALICE,
        updatedAt: route.updatedAt,
        entityUrl: `${APP}/catalog/default/component/payments-api`,
      });
      expect(res.body.output.title).toBe('Payments API');
      expect(res.body.output.version).toBe(1);
      expect(res.body.output.yamlOwnedFields).toEqual(
        expect.arrayContaining(['title', 'tier', 'tags', 'owner']),
      );
      // Every field the route reports as set is in the answer with the same value.
      for (const key of ['type', 'lifecycle', 'owner', 'tier', 'tags']) {
        expect(res.body.output[key]).toEqual(valueOf(route, key));
      }

      // A full ref, in any case, answers the same.
      const full = await invoke('get-project', {
        entityRef: 'Component:default/Payments-API',
      });
      expect(full.body.output).toEqual(res.body.output);
    });

    it('update-project-metadata makes the PATCH edit: same audit entries, announced, visible through GET', async () => {
      const backend = await startActionsBackend(databases, databaseId);
      const { invoke, as, auditOf } = backend;
      const change = {
        version: 0,
        set: {
          tier: '3',
          tags: ['docs', 'static'],
          description: 'The public docs',
        },
      };

      // The same edit through the UI's route, on a backend of its own, for comparison.
      const other = await startActionsBackend(databases, databaseId);
      const patched = await other.as().patch(DOCS_PATH, change);
      expect(patched.status).toBe(200);

      const res = await invoke('update-project-metadata', {
        entityRef: DOCS,
        ...change,
      });
      expect(res.status).toBe(200);
      // In the order of the editable fields.
      expect(res.body.output.changed).toEqual(['description', 'tier', 'tags']);
      expect(res.body.output.project).toMatchObject({
        entityRef: DOCS,
        tier: '3',
        tags: ['docs', 'static'],
        description: 'The public docs',
        lifecycle: 'production',
        type: 'website',
        version: 1,
        updatedBy: ALICE,
      });

      // Visible through the route, as the PATCH made it.
      const view = (await as().get(DOCS_PATH)).body as ProjectView;
      expect(view.version).toBe(1);
      expect(valueOf(view, 'tier')).toBe('3');
      expect(valueOf(view, 'tags')).toEqual(['docs', 'static']);
      const viaRoute = patched.body as ProjectView;
      expect(
        view.fields.map(f => ({
          ...f,
          overlay: { ...f.overlay, updatedAt: 0 },
        })),
      ).toEqual(
        viaRoute.fields.map(f => ({
          ...f,
          overlay: { ...f.overlay, updatedAt: 0 },
        })),
      );

      // The audit entries: one per field, the same as the route's in every part but the
      // request id; all three of one write share its request id.
      const entries = await auditOf(DOCS);
      const routeEntries = await other.auditOf(DOCS);
      expect(entries).toHaveLength(3);
      const byField = (list: Array<Record<string, unknown>>) =>
        list
          .map(shapeOf)
          .sort((a, b) => String(a.field).localeCompare(String(b.field)));
      expect(byField(entries)).toEqual(byField(routeEntries));
      expect(entries[0]).toMatchObject({
        actor: ALICE,
        action: 'project.update',
        entityRef: DOCS,
        outcome: 'succeeded',
      });
      expect(new Set(entries.map(e => e.requestId)).size).toBe(1);
      expect(entries.find(e => e.field === 'tier')).toMatchObject({
        after: '3',
      });

      // Announced to the catalog module, and audited through the auditor service.
      expect(backend.published).toEqual([
        {
          topic: PROJECT_CATALOG_TOPIC,
          eventPayload: { entityRef: DOCS, kind: 'overlay', revision: 1 },
        },
      ]);
      expect(backend.auditEvents).toEqual([
        { eventId: 'project-update', outcome: 'success' },
      ]);

      // A field unset, through the action, is gone through the route too.
      const unset = await invoke('update-project-metadata', {
        entityRef: DOCS,
        version: 1,
        unset: ['tier'],
      });
      expect(unset.status).toBe(200);
      expect(unset.body.output.project.tier).toBeUndefined();
      const after = (await as().get(DOCS_PATH)).body as ProjectView;
      expect(after.fields.find(f => f.key === 'tier')?.owner).toBe('unset');
    });

    it('refuses stale versions, YAML-owned fields and bad values with the route messages, recording each', async () => {
      const { invoke, as, auditOf } = await startActionsBackend(
        databases,
        databaseId,
      );
      const yaml = await invoke('update-project-metadata', {
        entityRef: PAYMENTS,
        version: 0,
        set: { tier: '2' },
      });
      expect(yaml.status).toBe(409);
      expect(yaml.body.error).toMatchObject({
        name: 'ConflictError',
        message:
          'tier is defined in file:/srv/catalog-info/components.yaml (field tier); change it there, or remove it from the YAML to edit it here',
      });

      const first = await as().patch(DOCS_PATH, {
        version: 0,
        set: { description: 'Docs' },
      });
      expect(first.status).toBe(200);
      const stale = await invoke('update-project-metadata', {
        entityRef: DOCS,
        version: 0,
        set: { description: 'Mine' },
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(
        /^The project was changed by user:default\/alice at .* \(version 1\); reload and apply your change again$/,
      );

      const cases: Array<[Record<string, unknown>, string]> = [
        [{ set: { tags: ['Not A Tag'] } }, 'set.tags[0]: must be lower-case'],
        [
          { set: { colour: 'red' } },
          'set.colour: unknown field; editable fields are',
        ],
        [{}, 'set: nothing to change (set and unset are empty)'],
        [{ unset: ['colour'] }, 'unset: unknown field colour'],
      ];
      for (const [change, message] of cases) {
        const res = await invoke('update-project-metadata', {
          entityRef: DOCS,
          version: 1,
          ...change,
        });
        expect({ change, status: res.status }).toEqual({ change, status: 400 });
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(message);
      }
      // A value of the wrong JSON type is refused by the registry, before any write.
      const wrongType = await invoke('update-project-metadata', {
        entityRef: DOCS,
        version: 1,
        set: { tags: 'go' },
      });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.error.message).toMatch(
        /^Invalid input to action "project-catalog:update-project-metadata"/,
      );
      const badRef = await invoke('get-project', { entityRef: 'a:b:c/d' });
      expect(badRef.status).toBe(400);
      expect(badRef.body.error.message).toMatch(/^entityRef: a:b:c\/d is not/);

      // Nothing changed, and the refusals are in the log as the route records them.
      const view = (await as().get(DOCS_PATH)).body as ProjectView;
      expect(view.version).toBe(1);
      expect(valueOf(view, 'description')).toBe('Docs');
      const log = await auditOf(DOCS);
      expect(log.map(e => [e.field ?? null, e.outcome])).toEqual([
        [null, 'refused'],
        [null, 'refused'],
        ['colour', 'refused'],
        ['tags', 'refused'],
        ['description', 'refused'],
        ['description', 'succeeded'],
      ]);
      expect((await auditOf(PAYMENTS))[0]).toMatchObject({
        actor: ALICE,
        field: 'tier',
        after: { tier: '2' },
        outcome: 'refused',
        reason: expect.stringContaining('is defined in'),
      });
    });
  },
);
