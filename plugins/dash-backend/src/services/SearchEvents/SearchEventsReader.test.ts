import { TestDatabases } from '@backstage/backend-test-utils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { migrateClient } from '../../database/migrations';
import { EventStore } from '../EventStore/EventStore';
import { SearchEventsReader } from './SearchEventsReader';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const A = 'component:default/a';
const B = 'component:default/b';
const T = Date.parse('2026-11-22T12:00:00Z');
const iso = (offsetMin: number) =>
  new Date(T + offsetMin * 60_000).toISOString();

function event(
  id: string,
  partial: Partial<DashEvent> & Pick<DashEvent, 'kind' | 'startTime'>,
): DashEvent {
  return {
    id,
    source: 'github',
    title: id,
    severity: 'info',
    entityRef: A,
    attributes: {},
    ...partial,
  };
}

describe.each(databases.eachSupportedId())(
  'SearchEventsReader on %p',
  databaseId => {
    let store: EventStore;
    let reader: SearchEventsReader;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      await migrateClient(knex);
      store = new EventStore(knex);
      reader = new SearchEventsReader(knex);
      await store.upsert([
        event('github:old', { kind: 'deploy', startTime: iso(-120) }),
        event('github:d1', { kind: 'deploy', startTime: iso(0) }),
        // Three events at one instant, on two entities and two sources: the order breaks ties.
        event('github:d2', { kind: 'deploy', startTime: iso(10) }),
        event('github:d3', {
          kind: 'release',
          startTime: iso(10),
          entityRef: B,
        }),
        event('pagerduty:i1', {
          kind: 'incident',
          source: 'pagerduty',
          startTime: iso(10),
        }),
        event('changes:flag', {
          kind: 'change',
          source: 'changes',
          startTime: iso(20),
        }),
        // Kinds that search leaves out.
        event('github:c1', { kind: 'commit', startTime: iso(15) }),
        event('grafana:a1', {
          kind: 'alert',
          source: 'grafana',
          startTime: iso(16),
        }),
      ]);
    });

    it('reads the searchable kinds since a time, newest first', async () => {
      const page = await reader.page({ sinceMs: T, limit: 100 });
      expect(page.events.map(e => e.id)).toEqual([
        'changes:flag',
        'github:d3',
        'pagerduty:i1',
        'github:d2',
        'github:d1',
      ]);
      expect(page.nextCursor).toBeUndefined();
      expect(page.events[0]).toMatchObject({
        kind: 'change',
        source: 'changes',
        startTime: iso(20),
        entityRef: A,
      });
    });

    it('pages through ties without repeating or skipping an event', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await reader.page({ sinceMs: 0, limit: 2, cursor });
        expect(page.events.length).toBeLessThanOrEqual(2);
        seen.push(...page.events.map(e => e.id));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      expect(cursor).toBeUndefined();
      expect(seen).toEqual([
        'changes:flag',
        'github:d3',
        'pagerduty:i1',
        'github:d2',
        'github:d1',
        'github:old',
      ]);
    });

    it('refuses a cursor it did not give', async () => {
      await expect(
        reader.page({ sinceMs: 0, limit: 2, cursor: 'not-a-cursor' }),
      ).rejects.toThrow('cursor: is not a cursor this route answered');
    });
  },
);
