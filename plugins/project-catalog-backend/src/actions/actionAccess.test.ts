import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { ProjectView } from '@dash-suite/plugin-project-catalog-common';
import request from 'supertest';
import {
  ALICE,
  DOCS,
  DOCS_PATH,
  SECRET,
  SECRET_PATH,
  SECRET_TOOL,
  VIEWER,
  startActionsBackend,
} from './__testUtils__/actionsBackend';

/**
 * What a caller may not read or edit, an assistant acting for them may not either: the actions
 * run with the caller's credentials, and refuse as the routes refuse. On both databases.
 */

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const UPDATE = 'project-catalog.metadata.update';

describe.each(databases.eachSupportedId())(
  'Project Catalog actions: access on %p',
  databaseId => {
    it('refuses an edit without project-catalog.metadata.update, as the route does, and changes nothing', async () => {
      const backend = await startActionsBackend(databases, databaseId);
      const { invoke, as, auditOf } = backend;
      backend.denyTo.set(VIEWER, new Set([UPDATE]));
      const change = { version: 0, set: { tier: '3' } };

      const route = await as(VIEWER).patch(DOCS_PATH, change);
      expect(route.status).toBe(403);
      const res = await invoke(
        'update-project-metadata',
        { entityRef: DOCS, ...change },
        VIEWER,
      );
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({
        name: 'NotAllowedError',
        message: `${VIEWER} is not allowed to ${UPDATE} on ${DOCS}`,
      });
      expect(res.body.error.message).toBe(route.body.error.message);

      // Nothing stored, nothing announced; the refusal is recorded as the route's is.
      const view = (await as(VIEWER).get(DOCS_PATH)).body as ProjectView;
      expect(view.version).toBe(0);
      expect(view.fields.find(f => f.key === 'tier')?.owner).toBe('unset');
      expect(backend.published).toEqual([]);
      const log = await auditOf(DOCS);
      expect(log).toHaveLength(2);
      const [viaAction, viaRoute] = log;
      const { id, time, requestId, ...refusal } = viaAction;
      expect(refusal).toEqual({
        actor: VIEWER,
        action: 'project.update',
        entityRef: DOCS,
        field: 'tier',
        after: { tier: '3' },
        outcome: 'refused',
        reason: `${VIEWER} is not allowed to ${UPDATE} on ${DOCS}`,
      });
      expect(Object.keys(viaAction).sort()).toEqual(
        Object.keys(viaRoute).sort(),
      );
      expect(requestId).not.toBe(viaRoute.requestId);
      expect(backend.auditEvents).toEqual([
        { eventId: 'project-update', outcome: 'fail' },
        { eventId: 'project-update', outcome: 'fail' },
      ]);

      // The same edit by a user with the permission goes through; the viewer still reads.
      const allowed = await invoke('update-project-metadata', {
        entityRef: DOCS,
        ...change,
      });
      expect(allowed.status).toBe(200);
      expect(allowed.body.output.project.updatedBy).toBe(ALICE);
      const read = await invoke('get-project', { entityRef: DOCS }, VIEWER);
      expect(read.status).toBe(200);
      expect(read.body.output.tier).toBe('3');
    });

    it('answers not found, without data, for an entity the caller may not read', async () => {
      const backend = await startActionsBackend(databases, databaseId);
      const { invoke, as, auditOf } = backend;
      const route = await as().get(SECRET_PATH);
      expect(route.status).toBe(404);

      const get = await invoke('get-project', { entityRef: SECRET });
      expect(get.status).toBe(404);
      expect(get.body).not.toHaveProperty('output');
      expect(get.body.error).toEqual({
        name: 'NotFoundError',
        message: `No entity ${SECRET} in the catalog`,
      });
      expect(get.body.error.message).toBe(route.body.error.message);

      const update = await invoke('update-project-metadata', {
        entityRef: SECRET,
        version: 0,
        set: { description: 'Leaked' },
      });
      expect(update.status).toBe(404);
      expect(update.body).not.toHaveProperty('output');
      expect(update.body.error.message).toBe(
        `No entity ${SECRET} in the catalog`,
      );

      // Nothing stored: the backend's own view (service credentials) has no edit.
      const feed = await request(backend.server)
        .get('/api/project-catalog/catalog-feed')
        .set('authorization', mockCredentials.service.header());
      expect(feed.body.overlays).toEqual([]);
      expect(backend.published).toEqual([]);
      // Its history stays hidden from the caller as well.
      const log = await as().get('/api/project-catalog/audit', {
        entityRef: SECRET,
      });
      expect(log.status).toBe(404);
      expect(await auditOf(DOCS)).toEqual([]);
    });

    it('answers not found for a project created in the UI that the caller may not read', async () => {
      const { invoke, server } = await startActionsBackend(
        databases,
        databaseId,
      );
      // A backend (which may read it) edits the project, so it has a stored record.
      const stored = await request(server)
        .patch('/api/project-catalog/projects/component/default/secret-tool')
        .set('authorization', mockCredentials.service.header())
        .send({ version: 0, set: { description: 'Internal' } });
      expect(stored.status).toBe(200);
      expect(stored.body.origin).toBe('ui');

      const route = await request(server)
        .get('/api/project-catalog/projects/component/default/secret-tool')
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(route.status).toBe(404);
      const get = await invoke('get-project', { entityRef: SECRET_TOOL });
      expect(get.status).toBe(404);
      expect(get.body).not.toHaveProperty('output');
      const update = await invoke('update-project-metadata', {
        entityRef: SECRET_TOOL,
        version: 1,
        set: { description: 'Mine' },
      });
      expect(update.status).toBe(404);
      expect(update.body.error.message).toBe(
        `No entity ${SECRET_TOOL} in the catalog`,
      );
      // Nor may the caller delete it through the route.
      const removed = await request(server)
        .delete('/api/project-catalog/projects/component/default/secret-tool')
        .query({ version: 1 })
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(removed.status).toBe(404);
      const kept = await request(server)
        .get('/api/project-catalog/projects/component/default/secret-tool')
        .set('authorization', mockCredentials.service.header());
      expect(kept.status).toBe(200);
      expect(kept.body).toEqual(stored.body);
    });

    it('refuses an anonymous caller', async () => {
      const { server } = await startActionsBackend(databases, databaseId);
      for (const name of ['get-project', 'update-project-metadata']) {
        const res = await request(server)
          .post(
            `/api/project-catalog/.backstage/actions/v1/actions/project-catalog:${name}/invoke`,
          )
          .set('Authorization', mockCredentials.none.header())
          .send({ entityRef: DOCS, version: 0, set: { tier: '3' } });
        expect([401, 403]).toContain(res.status);
      }
    });
  },
);
