import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  startProjectCatalog,
  yamlEntity,
} from '../../__testUtils__/startProjectCatalog';

/**
 * A Project Catalog backend for the action tests: the real actions registry of the test
 * backend, a catalog that hides `secret-*` entities from users (as a permission policy on
 * catalog reads would), and a permission service that can deny one user one permission.
 *
 * The helper that calls an action over the registry's HTTP surface is a few lines, written here
 * rather than shared with DASH's: a shared `testUtils` export would need supertest and
 * backend-test-utils as new dependencies of a package both backends already use.
 */

export const PAYMENTS = 'component:default/payments-api';
export const DOCS = 'component:default/docs-site';
export const SECRET = 'component:default/secret-service';
export const SECRET_TOOL = 'component:default/secret-tool';
export const ALICE = 'user:default/alice';
export const VIEWER = 'user:default/viewer';
export const APP = 'http://localhost:3000';
export const PAYMENTS_PATH =
  '/api/project-catalog/projects/component/default/payments-api';
export const DOCS_PATH =
  '/api/project-catalog/projects/component/default/docs-site';
export const SECRET_PATH =
  '/api/project-catalog/projects/component/default/secret-service';

const entities = [
  yamlEntity('payments-api', {
    metadata: {
      title: 'Payments API',
      description: 'Authorises card payments',
      labels: { tier: '1' },
      tags: ['go', 'pci'],
      links: [
        {
          url: 'https://runbooks.acme.example/payments',
          title: 'Runbook',
          type: 'Operate',
        },
      ],
      annotations: {
        'backstage.io/managed-by-location':
          'file:/srv/catalog-info/components.yaml',
        'pagerduty.com/service-id': 'PPAY123',
        'github.com/project-slug': 'acme/payments-api',
      },
    },
    spec: { system: 'system:default/payments' },
  }),
  yamlEntity('docs-site', { spec: { type: 'website' } }),
  yamlEntity('secret-service', { metadata: { labels: { tier: '1' } } }),
  // A project created in the UI, which the catalog's provider emits, hidden from users.
  yamlEntity('secret-tool', {
    metadata: {
      annotations: {
        'project-catalog/origin': 'ui',
        'backstage.io/managed-by-location':
          'project-catalog:component:default/secret-tool',
      },
    },
    spec: { type: 'tool' },
  }),
];

export async function startActionsBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const backend = await startProjectCatalog({
    knex: await databases.init(databaseId),
    entities,
    config: { app: { baseUrl: APP } },
  });
  const { server } = backend;

  /** Invokes `project-catalog:<name>` through the registry's HTTP route, as `user`. */
  function invoke(name: string, input: unknown, user: string = ALICE) {
    return request(server)
      .post(
        `/api/project-catalog/.backstage/actions/v1/actions/project-catalog:${name}/invoke`,
      )
      .set('Authorization', mockCredentials.user.header(user))
      .send(input as object);
  }

  /** The REST API as `user`, for comparing the actions with the routes. */
  const as = (user: string = ALICE) => ({
    get: (path: string, query: Record<string, string> = {}) =>
      request(server)
        .get(path)
        .query(query)
        .set('Authorization', mockCredentials.user.header(user)),
    patch: (path: string, body: object) =>
      request(server)
        .patch(path)
        .set('Authorization', mockCredentials.user.header(user))
        .send(body),
  });

  /** The audit log of an entity, newest first, as alice reads it through `GET /audit`. */
  async function auditOf(entityRef: string) {
    const res = await as().get('/api/project-catalog/audit', { entityRef });
    return res.body.entries as Array<Record<string, unknown>>;
  }

  return { ...backend, invoke, as, auditOf };
}
