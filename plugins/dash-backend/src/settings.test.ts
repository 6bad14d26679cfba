import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DAY_MS } from '@dash-suite/plugin-dash-common';
import request from 'supertest';
import { dashPlugin } from './plugin';
import { settingsResponseSchema } from './schema/schemas';
import { entity } from './testUtils/fakeSource';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'GET /settings on %p',
  databaseId => {
    async function start(dash: Record<string, unknown>) {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          dashPlugin,
          catalogServiceMock.factory({ entities: [entity('cart', {})] }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              dash: {
                refresh: { prewarm: { enabled: false } },
                ...dash,
              },
            },
          }),
        ],
      });
      return backend.server;
    }

    it('tells the UI the widest window the backend answers, the one it enforces', async () => {
      const server = await start({ maxWindowDays: 7 });
      const res = await request(server).get('/api/dash/settings');
      expect(res.status).toBe(200);
      expect(settingsResponseSchema.parse(res.body)).toEqual({
        maxWindowDays: 7,
      });

      const to = Date.parse('2026-03-10T00:00:00Z');
      const timeline = (days: number) =>
        request(server)
          .get('/api/dash/timeline')
          .query({
            entityRef: 'component:default/cart',
            from: new Date(to - days * DAY_MS).toISOString(),
            to: new Date(to).toISOString(),
          });
      expect((await timeline(8)).status).toBe(400);
      expect((await timeline(7)).status).toBe(200);
    });

    it('says 31 days when dash.maxWindowDays is not set', async () => {
      const server = await start({});
      const res = await request(server).get('/api/dash/settings');
      expect(res.body).toEqual({ maxWindowDays: 31 });
    });
  },
);
