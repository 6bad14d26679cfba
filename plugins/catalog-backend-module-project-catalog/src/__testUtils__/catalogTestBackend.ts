import {
  TestDatabaseId,
  TestDatabases,
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackendFeature, ServiceFactory } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import request from 'supertest';
import { catalogModuleProjectCatalog } from '../module';
import { FakeProjectCatalogBackend } from './fakeProjectCatalogBackend';

export const REVALIDATE_SECONDS = 1;

/** A Component as a catalog-info.yaml document would define it. */
export function yamlComponent(
  name: string,
  metadata: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, ...metadata },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  });
}

/** A project as the Project Catalog backend builds it for the feed. */
export function uiProject(name: string, tags: string[] = []): Entity {
  const location = `project-catalog:component:default/${name}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      tags,
      annotations: {
        'project-catalog/origin': 'ui',
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
      },
    },
    spec: {
      type: 'tool',
      lifecycle: 'experimental',
      owner: 'group:default/team-a',
    },
  };
}

/**
 * Starts the real catalog backend with this module, a stand-in Project Catalog backend and the
 * in-process events service, reading the given YAML documents from a file location.
 */
export async function startCatalogWithModule(options: {
  databases: TestDatabases;
  databaseId: TestDatabaseId;
  yamlDocuments: string[];
  fake: FakeProjectCatalogBackend;
  features?: BackendFeature[];
  /** Merged into the `catalog` config. */
  catalogConfig?: Record<string, unknown>;
  config?: Record<string, unknown>;
}) {
  const dir = createMockDirectory();
  dir.setContent({
    'catalog-info.yaml': options.yamlDocuments.join('\n---\n'),
  });
  const knex = await options.databases.init(options.databaseId);
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleProjectCatalog,
      options.fake.feature,
      eventsServiceFactory,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          events: { useEventBus: 'never' },
          catalog: {
            locations: [
              { type: 'file', target: dir.resolve('catalog-info.yaml') },
            ],
            rules: [{ allow: ['Component', 'Location'] }],
            processingInterval: { seconds: 1 },
            projectCatalog: { revalidateSeconds: REVALIDATE_SECONDS },
            ...options.catalogConfig,
          },
          ...options.config,
        },
      }),
      ...(options.features ?? []),
    ],
  });
  return { backend, server: backend.server, dir };
}

/**
 * One mock scheduler for the whole test backend, whose tasks the test triggers by id (it runs
 * every task once at startup, then only when triggered). `mockServices.scheduler()` returns
 * the instance typed as a plain `SchedulerService`, without its `factory()`.
 */
export function triggerableScheduler() {
  const scheduler = mockServices.scheduler();
  const factory = (
    scheduler as unknown as { factory(): ServiceFactory }
  ).factory();
  return { scheduler, factory };
}

/** Polls `check` until it returns a value (not undefined), for at most `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

/** Names of the entities that `GET /api/catalog/entities/by-query?filter=...` answers. */
export async function queryNames(server: any, filter: string) {
  const res = await request(server)
    .get('/api/catalog/entities/by-query')
    .query({ filter });
  if (res.status !== 200) {
    throw new Error(`catalog query ${filter}: ${res.status} ${res.text}`);
  }
  return (res.body.items as Entity[]).map(e => e.metadata.name).sort();
}

/** The entity as the catalog serves it, or undefined. */
export async function getEntity(
  server: any,
  name: string,
): Promise<Entity | undefined> {
  const res = await request(server).get(
    `/api/catalog/entities/by-name/component/default/${name}`,
  );
  return res.status === 200 ? res.body : undefined;
}
