import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import request from 'supertest';
import { dashPlugin } from './plugin';
import { FakeSource, deployEvent, entity } from './testUtils/fakeSource';
import { fakeSourcesModule } from './testUtils/testBackendParts';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const CART = 'component:default/cart-service';
const CHANNEL = 'dash:timeline:component:default/cart-service';

/** A GitHub deploy of cart-service that started at `startMs`. */
const deploy = (id: string, startMs: number) => deployEvent(id, CART, startMs);

/** Waits (bounded) until `check` holds. */
async function eventually(check: () => boolean, timeoutMs = 10_000) {
  for (let waited = 0; !check() && waited < timeoutMs; waited += 50) {
    await new Promise(r => setTimeout(r, 50));
  }
}

describe.each(databases.eachSupportedId())(
  'DASH backend with Signals on %p',
  databaseId => {
    it('signals a live tab that listens when its entity gets new events upstream or posted, and watches only such tabs', async () => {
      const github = new FakeSource('github');
      const now = Date.now();
      github.events = [deploy('github:old', now - 3600_000)];
      const publish = jest.fn(async (_signal: unknown) => {});
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          dashPlugin,
          fakeSourcesModule(github),
          createServiceFactory({
            service: signalsServiceRef,
            deps: {},
            factory: () => ({ publish }),
          }),
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
                  liveWatch: { intervalSeconds: 0.2, ttlSeconds: 60 },
                },
              },
            },
          }),
        ],
      });
      const timeline = (query: Record<string, string>) =>
        request(server)
          .get('/api/dash/timeline')
          .query({ entityRef: CART, ...query });

      // The first read fetches the cold feed: its events are news.
      expect((await timeline({})).status).toBe(200);
      await eventually(() => publish.mock.calls.length > 0);
      expect(publish).toHaveBeenCalledWith({
        recipients: { type: 'broadcast' },
        channel: CHANNEL,
        message: { entityRef: CART, sources: ['github'] },
      });

      // A polling live tab (no push) is not watched: a new upstream event waits for a read.
      publish.mockClear();
      expect((await timeline({ live: 'true' })).status).toBe(200);
      const calls = github.calls.length;
      github.events = [...github.events, deploy('github:new-1', Date.now())];
      await new Promise(r => setTimeout(r, 1000));
      expect(github.calls.length).toBe(calls);
      expect(publish).not.toHaveBeenCalled();

      // A live tab that listens is watched: the backend fetches by itself and signals.
      expect((await timeline({ live: 'true', push: 'true' })).status).toBe(200);
      await eventually(() => publish.mock.calls.length > 0);
      expect(publish).toHaveBeenCalledWith(
        expect.objectContaining({ channel: CHANNEL }),
      );
      publish.mockClear();
      github.events = [...github.events, deploy('github:new-2', Date.now())];
      await eventually(() => publish.mock.calls.length > 0);
      expect(publish).toHaveBeenCalledTimes(1);

      // A posted change event is news too.
      publish.mockClear();
      const posted = await request(server).post('/api/dash/changes').send({
        id: 'deployctl-1',
        entityRef: CART,
        time: new Date().toISOString(),
        title: 'Deploy cart-service v2',
        type: 'deploy',
      });
      expect(posted.status).toBe(201);
      await eventually(() =>
        publish.mock.calls.some(([s]) =>
          (s as { message: { sources: string[] } }).message.sources.includes(
            'changes',
          ),
        ),
      );
      expect(publish).toHaveBeenCalledWith({
        recipients: { type: 'broadcast' },
        channel: CHANNEL,
        message: { entityRef: CART, sources: ['changes'] },
      });
    });
  },
);
