import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DASH_SEARCH_KINDS,
  DASH_SEARCH_PAGE_MAX,
  DashEvent,
  DashEventKind,
} from '@dash-suite/plugin-dash-common';
import request from 'supertest';
import { dashPlugin } from './plugin';
import { errorResponseSchema } from './schema/schemas';
import { searchEventsResponseSchema } from './schema/searchSchemas';
import { EventStore } from './services/EventStore/EventStore';
import { entity } from './testUtils/fakeSource';

/** `GET /search-events`: what Backstage search's DASH collator pages through. */

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const CART = 'component:default/cart';
const T = Date.parse('2026-11-22T12:00:00Z');

function event(i: number, kind: DashEventKind): DashEvent {
  return {
    id: `changes:${kind}-${i}`,
    source: 'changes',
    kind,
    title: `${kind} ${i}`,
    severity: 'info',
    startTime: new Date(T + i * 1000).toISOString(),
    entityRef: CART,
    attributes: {},
  };
}

describe.each(databases.eachSupportedId())(
  'GET /search-events on %p',
  databaseId => {
    let server: any;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          dashPlugin,
          catalogServiceMock.factory({ entities: [entity('cart', {})] }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: { dash: { refresh: { prewarm: { enabled: false } } } },
          }),
        ],
      });
      server = backend.server;
      // One more deploy than a page holds, and kinds that search leaves out.
      await new EventStore(knex).upsert([
        ...Array.from({ length: DASH_SEARCH_PAGE_MAX + 1 }, (_, i) =>
          event(i, 'deploy'),
        ),
        event(1, 'incident'),
        event(2, 'change'),
        event(3, 'release'),
        event(4, 'commit'),
        event(5, 'alert'),
        event(6, 'message'),
      ]);
    });

    const get = (query: Record<string, string | number>) =>
      request(server)
        .get('/api/dash/search-events')
        .query(query)
        .set('authorization', mockCredentials.service.header());

    it('answers other backends only, never a user', async () => {
      const user = await request(server)
        .get('/api/dash/search-events')
        .query({ since: new Date(T).toISOString() })
        .set('authorization', mockCredentials.user.header());
      expect(user.status).toBe(403);
      expect(errorResponseSchema.parse(user.body).error.name).toBe(
        'NotAllowedError',
      );
      const none = await request(server)
        .get('/api/dash/search-events')
        .query({ since: new Date(T).toISOString() })
        .set('authorization', mockCredentials.none.header());
      expect(none.status).toBe(401);
    });

    it('pages at most DASH_SEARCH_PAGE_MAX events, newest first, of the searchable kinds only', async () => {
      const first = await get({ since: new Date(T).toISOString() });
      expect(first.status).toBe(200);
      const page = searchEventsResponseSchema.parse(first.body);
      expect(page.events).toHaveLength(DASH_SEARCH_PAGE_MAX);
      expect(page.events[0].id).toBe(`changes:deploy-${DASH_SEARCH_PAGE_MAX}`);
      expect(page.nextCursor).toEqual(expect.any(String));

      const rest = await get({
        since: new Date(T).toISOString(),
        cursor: page.nextCursor!,
      });
      const all = [...page.events, ...rest.body.events];
      expect(rest.body.nextCursor).toBeUndefined();
      expect(all).toHaveLength(DASH_SEARCH_PAGE_MAX + 4);
      expect(new Set(all.map(e => e.kind))).toEqual(new Set(DASH_SEARCH_KINDS));

      const small = await get({ since: new Date(T).toISOString(), limit: 2 });
      expect(small.body.events.map((e: DashEvent) => e.id)).toEqual([
        `changes:deploy-${DASH_SEARCH_PAGE_MAX}`,
        `changes:deploy-${DASH_SEARCH_PAGE_MAX - 1}`,
      ]);

      const recent = await get({ since: new Date(T + 499_500).toISOString() });
      expect(recent.body.events.map((e: DashEvent) => e.id)).toEqual([
        `changes:deploy-${DASH_SEARCH_PAGE_MAX}`,
      ]);
    });

    it('answers bad input with 400 naming the field', async () => {
      const cases: Array<[Record<string, string | number>, string]> = [
        [{}, 'since'],
        [{ since: 'yesterday' }, 'since'],
        [
          { since: new Date(T).toISOString(), limit: DASH_SEARCH_PAGE_MAX + 1 },
          'limit',
        ],
        [{ since: new Date(T).toISOString(), limit: 0 }, 'limit'],
        [{ since: new Date(T).toISOString(), cursor: 'abc' }, 'cursor'],
      ];
      for (const [query, field] of cases) {
        const res = await get(query);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(`${field}:`);
      }
    });
  },
);
