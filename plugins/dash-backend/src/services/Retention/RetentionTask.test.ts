import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { Knex } from 'knex';
import { migrateClient } from '../../database/migrations';
import { entity } from '../../testUtils/fakeSource';
import { EventStore } from '../EventStore/EventStore';
import { FeedStore } from '../FeedStore/FeedStore';
import {
  RetentionSettings,
  RetentionTask,
  readRetentionSettings,
} from './RetentionTask';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const CUTOFF = NOW - 90 * DAY;
const KEPT = 'component:default/kept';
const GONE = 'component:default/gone';

function ev(
  id: string,
  startMs: number,
  partial: Partial<DashEvent> = {},
): DashEvent {
  return {
    id,
    source: 'github',
    kind: 'commit',
    title: id,
    severity: 'info',
    startTime: new Date(startMs).toISOString(),
    entityRef: KEPT,
    attributes: {},
    ...partial,
  };
}

const settings = (partial: Partial<RetentionSettings> = {}) => ({
  ...readRetentionSettings(new ConfigReader({})),
  ...partial,
});

describe.each(databases.eachSupportedId())(
  'RetentionTask on %p',
  databaseId => {
    let knex: Knex;
    let events: EventStore;
    let feeds: FeedStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await migrateClient(knex);
      events = new EventStore(knex);
      feeds = new FeedStore(knex);
    });

    function task(
      options: {
        catalog?: ReturnType<typeof catalogServiceMock>;
        settings?: Partial<RetentionSettings>;
      } = {},
    ) {
      return new RetentionTask({
        events,
        feeds,
        catalog:
          options.catalog ??
          catalogServiceMock({
            entities: [entity('kept', {}), entity('other', {})],
          }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        settings: settings(options.settings),
        clock: () => NOW,
      });
    }

    async function fetched(source: string, ref: string, fromMs: number) {
      await feeds.tryAcquire(source, ref, 'me', 60_000, NOW - 1000);
      await feeds.markSuccess(source, ref, 'me', {
        fetchedMs: NOW - 1000,
        fetchedFromMs: fromMs,
      });
    }

    it('reads its settings with defaults and refuses bad values', () => {
      expect(readRetentionSettings(new ConfigReader({}))).toEqual({
        retentionMs: 90 * DAY,
        batchSize: 1000,
        maxBatchesPerRun: 1000,
        pruneDeletedEntities: true,
      });
      expect(
        readRetentionSettings(
          new ConfigReader({
            dash: {
              retentionDays: 7,
              retention: { batchSize: 50, pruneDeletedEntities: false },
            },
          }),
        ),
      ).toMatchObject({
        retentionMs: 7 * DAY,
        batchSize: 50,
        pruneDeletedEntities: false,
      });
      expect(() =>
        readRetentionSettings(
          new ConfigReader({ dash: { retention: { batchSize: -1 } } }),
        ),
      ).toThrow(/dash.retention.batchSize/);
    });

    it('moves every feed’s coverage forward to the cutoff, so an old window is no longer claimed', async () => {
      await fetched('github', KEPT, CUTOFF - 200 * DAY);
      await fetched('pagerduty', KEPT, NOW - 2 * DAY);
      await events.upsert([ev('old', CUTOFF - 100 * DAY)]);

      const result = await task().run();

      expect(result.cutoffMs).toBe(CUTOFF);
      expect(result.deleted).toBe(1);
      // Coverage never reaches back into what was deleted...
      expect((await feeds.get('github', KEPT))?.coveredFromMs).toBe(CUTOFF);
      // ...and a feed that covered less is left as it was.
      expect((await feeds.get('pagerduty', KEPT))?.coveredFromMs).toBe(
        NOW - 2 * DAY,
      );
    });

    it('keeps incidents and alerts that are still going on, whatever their age', async () => {
      const old = CUTOFF - 10 * DAY;
      await events.upsert([
        ev('commit', old),
        ev('incident-open', old, { source: 'pagerduty', kind: 'incident' }),
        ev('incident-acked-with-end', old, {
          source: 'pagerduty',
          kind: 'incident',
          status: 'Acknowledged',
          endTime: new Date(old + 1000).toISOString(),
        }),
        ev('incident-resolved', old, {
          source: 'pagerduty',
          kind: 'incident',
          status: 'resolved',
          endTime: new Date(old + 1000).toISOString(),
        }),
        ev('incident-ended-no-status', old, {
          source: 'pagerduty',
          kind: 'incident',
          endTime: new Date(old + 1000).toISOString(),
        }),
        ev('alert-firing', old, {
          source: 'grafana',
          kind: 'alert',
          status: 'firing',
        }),
        ev('alert-resolved', old, {
          source: 'grafana',
          kind: 'alert',
          status: 'resolved',
          endTime: new Date(old + 1000).toISOString(),
        }),
        ev('fresh', NOW - DAY),
      ]);

      const result = await task().run();

      const left = (
        await events.query({
          entityRefs: [KEPT],
          fromMs: 0,
          toMs: NOW,
        })
      )
        .map(e => e.id)
        .sort();
      expect(left).toEqual([
        'alert-firing',
        'fresh',
        'incident-acked-with-end',
        'incident-open',
      ]);
      expect(result.deleted).toBe(4);
    });

    it('deletes in bounded batches and leaves the rest for the next run', async () => {
      await events.upsert(
        Array.from({ length: 50 }, (_, i) => ev(`old-${i}`, CUTOFF - DAY - i)),
      );
      const run = task({ settings: { batchSize: 7, maxBatchesPerRun: 3 } });
      const first = await run.run();
      expect(first).toMatchObject({ deleted: 21, more: true });
      const second = await run.run();
      expect(second).toMatchObject({ deleted: 21, more: true });
      const third = await run.run();
      expect(third).toMatchObject({ deleted: 8, more: false });
      expect(
        await events.query({ entityRefs: [KEPT], fromMs: 0, toMs: NOW }),
      ).toEqual([]);
    });

    it('prunes the feeds and fetched events of entities that left the catalog, not posted changes', async () => {
      await fetched('github', KEPT, NOW - DAY);
      await fetched('github', GONE, NOW - DAY);
      await fetched('pagerduty', GONE, NOW - DAY);
      await events.upsert([
        ev('kept-commit', NOW - DAY),
        ev('gone-commit', NOW - DAY, { entityRef: GONE }),
        ev('gone-change', NOW - DAY, { entityRef: GONE, source: 'changes' }),
      ]);

      const result = await task().run();

      expect(result).toMatchObject({
        prunedEntities: 1,
        prunedFeeds: 2,
        prunedEvents: 1,
      });
      expect(await feeds.getMany([GONE])).toEqual([]);
      expect(await feeds.getMany([KEPT])).toHaveLength(1);
      expect(await events.get(GONE, 'github', 'gone-commit')).toBeUndefined();
      expect(await events.get(GONE, 'changes', 'gone-change')).toBeDefined();
      expect(await events.get(KEPT, 'github', 'kept-commit')).toBeDefined();
    });

    it('pages through many entities, asking the catalog in batches', async () => {
      const catalog = catalogServiceMock({ entities: [entity('kept', {})] });
      const spy = jest.spyOn(catalog, 'getEntitiesByRefs');
      const refs = Array.from(
        { length: 230 },
        (_, i) => `component:default/gone-${String(i).padStart(3, '0')}`,
      );
      for (const ref of refs) await feeds.tryAcquire('github', ref, 'x', 1, 0);
      await fetched('github', KEPT, NOW - DAY);

      const result = await task({ catalog }).run();

      expect(result.prunedEntities).toBe(230);
      expect(spy).toHaveBeenCalledTimes(3);
      for (const [request] of spy.mock.calls) {
        expect(request.entityRefs.length).toBeLessThanOrEqual(100);
      }
      expect(await feeds.listEntityRefs(1000)).toEqual([KEPT]);
    });

    it('prunes nothing when the catalog cannot be read, and still applies the age rule', async () => {
      const catalog = catalogServiceMock.mock({
        getEntitiesByRefs: async () => {
          throw new Error('catalog unavailable');
        },
      });
      await fetched('github', GONE, CUTOFF - 5 * DAY);
      await events.upsert([
        ev('gone-commit', NOW - DAY, { entityRef: GONE }),
        ev('gone-old', CUTOFF - DAY, { entityRef: GONE }),
      ]);

      const result = await task({ catalog }).run();

      expect(result.pruneSkipped).toMatch(/catalog unavailable/);
      expect(result.prunedEntities).toBe(0);
      expect(result.deleted).toBe(1);
      expect(await feeds.getMany([GONE])).toHaveLength(1);
      expect(await events.get(GONE, 'github', 'gone-commit')).toBeDefined();
    });

    it('leaves a feed that is being refreshed (lease held) for the next run', async () => {
      await feeds.tryAcquire('github', GONE, 'busy-replica', 60_000, NOW);
      const result = await task().run();
      expect(result.prunedFeeds).toBe(0);
      expect(await feeds.getMany([GONE])).toHaveLength(1);
    });
  },
);
