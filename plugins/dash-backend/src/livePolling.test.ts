import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import request from 'supertest';
import { dashPlugin } from './plugin';
import { FakeSource, deployEvent, entity } from './testUtils/fakeSource';
import { fakeSourcesModule } from './testUtils/testBackendParts';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const CART = 'component:default/cart-service';
/** `dash.refresh.liveFreshnessSeconds` here: a live poll refreshes feeds older than 1.5 s. */
const LIVE_FRESHNESS_S = 2;

/** A GitHub deploy of cart-service that started at `startMs`. */
const deploy = (id: string, startMs: number) => deployEvent(id, CART, startMs);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe.each(databases.eachSupportedId())(
  'A live tab polling without Signals, on %p',
  databaseId => {
    it('shows a new upstream event at the first poll after three quarters of the live freshness, refreshing once for every viewer', async () => {
      const github = new FakeSource('github');
      github.events = [deploy('github:old', Date.now() - 3600_000)];
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          dashPlugin,
          fakeSourcesModule(github),
          catalogServiceMock.factory({
            entities: [entity('cart-service', { 'test/github': 'acme/cart' })],
          }),
          mockServices.database.factory({ knex }),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          mockServices.rootConfig.factory({
            data: {
              dash: {
                refresh: {
                  prewarm: { enabled: false },
                  liveFreshnessSeconds: LIVE_FRESHNESS_S,
                },
              },
            },
          }),
        ],
      });
      const poll = (etag?: string) =>
        request(server)
          .get('/api/dash/timeline')
          .query({ entityRef: CART, live: 'true' })
          .set(etag ? { 'If-None-Match': etag } : {});
      const ids = (res: request.Response) =>
        (res.body.events as DashEvent[]).map(e => e.id);

      // The tab opens: the cold feed is fetched while it waits.
      const first = await poll();
      const fetchedBy = Date.now();
      expect(first.status).toBe(200);
      expect(ids(first)).toEqual(['github:old']);
      expect(github.calls).toHaveLength(1);

      // A deploy lands upstream. The tab's next poll comes once the feed is past three quarters
      // of the live freshness (1.5 s), before the full 2 s: the poll refreshes the feed first
      // and answers with the deploy, not one poll later.
      const now = Date.now();
      github.events = [...github.events, deploy('github:new', now)];
      await sleep(fetchedBy + 1600 - Date.now());
      const second = await poll(first.headers.etag);
      expect(second.status).toBe(200);
      expect(ids(second)).toEqual(['github:old', 'github:new']);
      expect(second.body.sources[0].status).toBe('ok');
      expect(github.calls).toHaveLength(2);

      // Polled again at once: fresh, nothing fetched, nothing changed (304).
      const third = await poll(second.headers.etag);
      expect(third.status).toBe(304);
      expect(github.calls).toHaveLength(2);

      // Twenty viewers polling together once the feed is stale again: one refresh for them all,
      // and an unchanged answer for whoever already has it.
      await sleep(1600);
      const crowd = await Promise.all(
        Array.from({ length: 20 }, () => poll(second.headers.etag)),
      );
      expect(crowd.every(r => r.status === 304)).toBe(true);
      expect(github.calls).toHaveLength(3);
    });
  },
);
