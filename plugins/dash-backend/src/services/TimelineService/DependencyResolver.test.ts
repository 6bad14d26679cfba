import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { entity } from '../../testUtils/fakeSource';
import {
  DependencyResolver,
  MAX_DEPENDENCY_ENTITIES,
} from './DependencyResolver';
import { EntityReader } from './EntityReader';

describe('DependencyResolver', () => {
  const alice = mockCredentials.user('user:default/alice');

  function resolverOver(entities: ReturnType<typeof entity>[]) {
    const catalog = catalogServiceMock({ entities });
    return new DependencyResolver(
      new EntityReader(catalog, { ttlMs: 10_000, maxEntries: 10_000 }),
    );
  }

  it('reads at most MAX_DEPENDENCY_ENTITIES dependencies over all targets of one request', async () => {
    // 20 targets, each depending on 30 services of its own: 600 dependencies asked for.
    const targets = Array.from({ length: 20 }, (_, t) =>
      entity(
        `t${t}`,
        {},
        Array.from({ length: 30 }, (__, d) => `component:default/d${t}-${d}`),
      ),
    );
    const dependencies = targets.flatMap((_, t) =>
      Array.from({ length: 30 }, (__, d) => entity(`d${t}-${d}`, {})),
    );
    const resolved = await resolverOver([...targets, ...dependencies]).resolve(
      targets.map(t => `component:default/${t.metadata.name}`),
      alice,
    );
    expect(resolved.dependencyEntities.size).toBe(MAX_DEPENDENCY_ENTITIES);
    // The first targets get theirs; the cap leaves the last without.
    expect(resolved.dependencies.get('component:default/t0')?.size).toBe(30);
    expect(resolved.dependencies.get('component:default/t19')?.size).toBe(0);
  });

  it('lets targets share dependencies beyond the cap at no cost', async () => {
    const shared = Array.from(
      { length: 30 },
      (_, d) => `component:default/s${d}`,
    );
    const targets = Array.from({ length: 20 }, (_, t) =>
      entity(`t${t}`, {}, shared),
    );
    const resolved = await resolverOver([
      ...targets,
      ...shared.map((_, d) => entity(`s${d}`, {})),
    ]).resolve(
      targets.map(t => `component:default/${t.metadata.name}`),
      alice,
    );
    expect(resolved.dependencyEntities.size).toBe(30);
    for (const t of targets) {
      expect(
        resolved.dependencies.get(`component:default/${t.metadata.name}`)?.size,
      ).toBe(30);
    }
  });
});
