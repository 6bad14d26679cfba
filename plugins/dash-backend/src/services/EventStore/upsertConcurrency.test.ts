import { TestDatabases } from '@backstage/backend-test-utils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { migrateClient } from '../../database/migrations';
import { EventStore } from './EventStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const REF = 'component:default/cart-service';

function change(id: string, title = id): DashEvent {
  return {
    id,
    source: 'changes',
    kind: 'deploy',
    title,
    severity: 'info',
    startTime: '2026-11-22T10:00:00Z',
    entityRef: REF,
    attributes: {},
  };
}

describe.each(databases.eachSupportedId())(
  'EventStore.upsert under concurrency on %p',
  databaseId => {
    it('reports a row new to exactly one of several identical upserts racing', async () => {
      const knex = await databases.init(databaseId);
      await migrateClient(knex);
      const store = new EventStore(knex);
      // Warm the connection pool first, so that the upserts below really run side by side.
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.upsert([change(`w${i}`)])),
      );
      for (let round = 0; round < 5; round++) {
        const id = `same-${round}`;
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.upsert([change(id)])),
        );
        expect(results.filter(created => created.has(id))).toHaveLength(1);
      }
      // Overlapping batches: every key is new to exactly one of them.
      const batches = await Promise.all(
        Array.from({ length: 6 }, (_, b) =>
          store.upsert(
            Array.from({ length: 20 }, (__, i) =>
              change(`batch-${(b * 7 + i) % 40}`, `from batch ${b}`),
            ),
          ),
        ),
      );
      const counts = new Map<string, number>();
      for (const created of batches) {
        for (const id of created) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      expect([...counts.values()].every(n => n === 1)).toBe(true);
      expect(counts.size).toBe(
        new Set(
          Array.from({ length: 6 }, (_, b) =>
            Array.from({ length: 20 }, (__, i) => (b * 7 + i) % 40),
          ).flat(),
        ).size,
      );
      // And a repeat updates the row instead.
      const again = await store.upsert([change('same-0', 'updated')]);
      expect(again.size).toBe(0);
      expect((await store.get(REF, 'changes', 'same-0'))?.title).toBe(
        'updated',
      );
    });
  },
);
