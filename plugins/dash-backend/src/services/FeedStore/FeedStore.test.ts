import { TestDatabases } from '@backstage/backend-test-utils';
import { migrateClient } from '../../database/migrations';
import { FeedStore } from './FeedStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const REF = 'component:default/a';

describe.each(databases.eachSupportedId())('FeedStore on %p', databaseId => {
  let feeds: FeedStore;

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    await migrateClient(knex);
    feeds = new FeedStore(knex);
  });

  it('lets one owner hold a lease until it is released or expires', async () => {
    expect(
      await feeds.tryAcquire('github', REF, 'replica-1', 10_000, 1_000),
    ).toBe(true);
    expect(
      await feeds.tryAcquire('github', REF, 'replica-2', 10_000, 2_000),
    ).toBe(false);
    // The holder may renew.
    expect(
      await feeds.tryAcquire('github', REF, 'replica-1', 10_000, 3_000),
    ).toBe(true);
    // Expired: the other replica takes over.
    expect(
      await feeds.tryAcquire('github', REF, 'replica-2', 10_000, 14_000),
    ).toBe(true);
    await feeds.release('github', REF, 'replica-1'); // not the holder: no effect
    expect((await feeds.get('github', REF))?.leaseOwner).toBe('replica-2');
    await feeds.release('github', REF, 'replica-2');
    expect((await feeds.get('github', REF))?.leaseOwner).toBeUndefined();
  });

  it('renews and records only for the lease holder (fencing), and counts failures in a row', async () => {
    expect(await feeds.tryAcquire('kibana', REF, 'slow', 1_000, 0)).toBe(true);
    expect(await feeds.renew('kibana', REF, 'slow', 1_000, 900)).toBe(true);
    expect((await feeds.get('kibana', REF))?.leaseExpiresMs).toBe(1_900);
    // Expired, taken over by another replica: the old holder can neither renew nor record.
    expect(await feeds.tryAcquire('kibana', REF, 'fast', 1_000, 2_000)).toBe(
      true,
    );
    expect(await feeds.renew('kibana', REF, 'slow', 1_000, 2_100)).toBe(false);
    expect(
      await feeds.markFailure('kibana', REF, 'fast', {
        attemptedMs: 2_200,
        status: 'error',
        error: '503',
        retryAfterMs: 32_200,
        failures: 1,
      }),
    ).toBe(true);
    expect(await feeds.get('kibana', REF)).toMatchObject({
      failures: 1,
      retryAfterMs: 32_200,
      leaseOwner: undefined,
    });
    expect(
      await feeds.markSuccess('kibana', REF, 'slow', {
        fetchedMs: 2_500,
        fetchedFromMs: 0,
        cursor: 'stale',
      }),
    ).toBe(false);
    expect(await feeds.get('kibana', REF)).toMatchObject({
      cursor: undefined,
      fetchedMs: undefined,
      status: 'error',
      failures: 1,
    });
    await feeds.tryAcquire('kibana', REF, 'fast', 1_000, 40_000);
    expect(
      await feeds.markSuccess('kibana', REF, 'fast', {
        fetchedMs: 40_100,
        fetchedFromMs: 0,
        cursor: 'new',
      }),
    ).toBe(true);
    expect(await feeds.get('kibana', REF)).toMatchObject({
      cursor: 'new',
      status: 'ok',
      failures: 0,
      retryAfterMs: undefined,
    });
  });

  it('gives the lease to exactly one of many concurrent contenders', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        feeds.tryAcquire('pagerduty', REF, `replica-${i}`, 60_000, 5_000),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('records success (widening coverage, clearing errors) and failure (keeping the last success)', async () => {
    await feeds.tryAcquire('grafana', REF, 'me', 60_000, 1);
    await feeds.markSuccess('grafana', REF, 'me', {
      fetchedMs: 100_000,
      fetchedFromMs: 50_000,
      cursor: '{"etag":"x"}',
    });
    await feeds.tryAcquire('grafana', REF, 'me', 60_000, 2);
    await feeds.markSuccess('grafana', REF, 'me', {
      fetchedMs: 200_000,
      fetchedFromMs: 90_000,
    });
    let feed = await feeds.get('grafana', REF);
    expect(feed).toMatchObject({
      fetchedMs: 200_000,
      coveredFromMs: 50_000,
      status: 'ok',
      leaseOwner: undefined,
    });

    await feeds.tryAcquire('grafana', REF, 'me', 60_000, 3);
    await feeds.markFailure('grafana', REF, 'me', {
      attemptedMs: 300_000,
      status: 'rate-limited',
      error: 'slow down',
      retryAfterMs: 360_000,
    });
    feed = await feeds.get('grafana', REF);
    expect(feed).toMatchObject({
      fetchedMs: 200_000,
      attemptedMs: 300_000,
      status: 'rate-limited',
      error: 'slow down',
      retryAfterMs: 360_000,
      leaseOwner: undefined,
    });

    expect(
      (await feeds.listStale(250_000, 10)).map(f => `${f.source}`),
    ).toContain('grafana');
    expect(
      (await feeds.listStale(150_000, 10)).map(f => `${f.source}`),
    ).not.toContain('grafana');
  });
});
