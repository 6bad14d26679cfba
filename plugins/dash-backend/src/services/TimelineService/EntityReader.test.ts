import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { entity } from '../../testUtils/fakeSource';
import { EntityReader } from './EntityReader';

describe('EntityReader', () => {
  const a = entity('a', {});
  const b = entity('b', {});

  function setup() {
    let now = 0;
    const catalog = catalogServiceMock({ entities: [a, b] });
    const spy = jest.spyOn(catalog, 'getEntitiesByRefs');
    const reader = new EntityReader(catalog, {
      ttlMs: 10_000,
      maxEntries: 3,
      clock: () => now,
    });
    return { reader, spy, advance: (ms: number) => (now += ms) };
  }

  it('asks the catalog once per caller and entity within the TTL, then again', async () => {
    const { reader, spy, advance } = setup();
    const alice = mockCredentials.user('user:default/alice');
    expect(
      (await reader.getByRef('component:default/a', alice))?.metadata.name,
    ).toBe('a');
    expect(
      (await reader.getByRef('component:default/a', alice))?.metadata.name,
    ).toBe('a');
    expect(spy).toHaveBeenCalledTimes(1);
    advance(10_001);
    await reader.getByRef('component:default/a', alice);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('keeps callers apart, remembers misses, and fetches only what it lacks, in order', async () => {
    const { reader, spy } = setup();
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    await reader.getByRef('component:default/a', alice);
    await reader.getByRef('component:default/a', bob);
    expect(spy).toHaveBeenCalledTimes(2);
    const both = await reader.getByRefs(
      ['component:default/nope', 'component:default/a', 'component:default/b'],
      alice,
    );
    expect(both.map(e => e?.metadata.name)).toEqual([undefined, 'a', 'b']);
    expect(spy.mock.calls[2][0]).toEqual({
      entityRefs: ['component:default/nope', 'component:default/b'],
    });
    await reader.getByRef('component:default/nope', alice);
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('forgets the oldest entries past its size bound', async () => {
    const { reader, spy } = setup();
    const alice = mockCredentials.user('user:default/alice');
    for (const ref of ['x', 'y', 'z', 'w']) {
      await reader.getByRef(`component:default/${ref}`, alice);
    }
    await reader.getByRef('component:default/x', alice);
    expect(spy).toHaveBeenCalledTimes(5);
  });
});
