import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { OverlayCache } from './OverlayCache';
import { ProjectCatalogEntityProvider } from './ProjectCatalogEntityProvider';
import { FakeFeedBackend } from './__testUtils__/FakeFeedBackend';

const TASK_ID = 'project-catalog:refresh';

function project(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'project-catalog/origin': 'ui',
        'backstage.io/managed-by-location': `project-catalog:component:default/${name}`,
        'backstage.io/managed-by-origin-location': `project-catalog:component:default/${name}`,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
    },
  };
}

async function setup() {
  const backend = new FakeFeedBackend();
  const logger = mockServices.logger.mock();
  const cache = new OverlayCache({
    source: backend,
    logger,
    revalidateMs: 60_000,
  });
  const scheduler = mockServices.scheduler();
  const provider = new ProjectCatalogEntityProvider({
    cache,
    logger,
    scheduler,
  });
  const mutations: EntityProviderMutation[] = [];
  const refreshedKeys: string[][] = [];
  const connection: EntityProviderConnection = {
    applyMutation: async m => {
      mutations.push(m);
    },
    refresh: async ({ keys }) => {
      refreshedKeys.push(keys);
    },
  };
  await provider.connect(connection);
  const names = (m: EntityProviderMutation) =>
    m.type === 'full' ? m.entities.map(e => e.entity.metadata.name) : [];
  return {
    backend,
    cache,
    scheduler,
    provider,
    mutations,
    names,
    logger,
    refreshedKeys,
  };
}

const settle = () => new Promise(r => setImmediate(r));

describe('ProjectCatalogEntityProvider', () => {
  it('applies nothing, and does not fail, while the backend is not up', async () => {
    const { backend, scheduler, mutations, provider, refreshedKeys } =
      await setup();
    expect(provider.getProviderName()).toBe('project-catalog');
    backend.failing = new Error('connect ECONNREFUSED');
    await scheduler.triggerTask(TASK_ID);
    expect(mutations).toEqual([]);
    expect(refreshedKeys).toEqual([]);
  });

  it('once the feed loads, reprocesses the entities that went through without it', async () => {
    const { backend, cache, scheduler, refreshedKeys } = await setup();
    backend.failing = new Error('connect ECONNREFUSED');
    await cache.get();
    backend.failing = undefined;
    await cache.revalidate();
    await settle();
    expect(refreshedKeys).toEqual([['project-catalog:feed-pending']]);
    // Later revisions do not; each scheduled run does, for entities caught in between.
    backend.feed.revision = 2;
    await cache.revalidate();
    await settle();
    expect(refreshedKeys).toHaveLength(1);
    await scheduler.triggerTask(TASK_ID);
    expect(refreshedKeys).toHaveLength(2);
  });

  it('applies a full mutation of the projects, so created ones appear and deleted ones disappear', async () => {
    const { backend, cache, scheduler, mutations, names } = await setup();
    backend.feed = {
      revision: 1,
      overlays: [],
      projects: [project('a'), project('b')],
    };
    await scheduler.triggerTask(TASK_ID);
    await settle();
    // The scheduled run and the cache's change notification both ran; one mutation per
    // application, all full, location key project-catalog.
    const last = mutations[mutations.length - 1];
    expect(last.type).toBe('full');
    expect(names(last)).toEqual(['a', 'b']);
    expect(last.type === 'full' && last.entities[0].locationKey).toBe(
      'project-catalog',
    );

    const before = mutations.length;
    backend.feed = { revision: 2, overlays: [], projects: [project('b')] };
    await cache.revalidate(2);
    await settle();
    expect(mutations.length).toBe(before + 1);
    expect(names(mutations[mutations.length - 1])).toEqual(['b']);

    // A revision already applied is not applied again, except by the scheduled fallback.
    await cache.revalidate();
    await settle();
    expect(mutations.length).toBe(before + 1);
    await scheduler.triggerTask(TASK_ID);
    expect(mutations.length).toBe(before + 2);
  });

  it('adds the origin and location annotations a project lacks and skips non-entities', async () => {
    const { backend, cache, mutations, logger } = await setup();
    backend.feed = {
      revision: 1,
      overlays: [],
      projects: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'bare' },
          spec: { type: 'tool', lifecycle: 'experimental', owner: 'team-a' },
        },
        { kind: 'Component' } as unknown as Entity,
      ],
    };
    await cache.revalidate();
    await settle();
    const [m] = mutations;
    expect(m.type === 'full' && m.entities.map(e => e.entity)).toEqual([
      expect.objectContaining({
        metadata: {
          name: 'bare',
          annotations: {
            'project-catalog/origin': 'ui',
            'backstage.io/managed-by-location':
              'project-catalog:component:default/bare',
            'backstage.io/managed-by-origin-location':
              'project-catalog:component:default/bare',
          },
        },
      }),
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('not an entity'),
    );
  });
});
