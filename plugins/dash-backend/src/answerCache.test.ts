import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import request from 'supertest';
import { dashPlugin } from './plugin';
import { EventStore } from './services/EventStore/EventStore';
import { FeedStore } from './services/FeedStore/FeedStore';
import { FakeSource, deployEvent, entity } from './testUtils/fakeSource';
import {
  catalogHidingFrom,
  fakeSourcesModule,
} from './testUtils/testBackendParts';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const PAYMENTS = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-db';
const ALICE = 'user:default/alice';
/** May read payments-api but not ledger-db, which it depends on. */
const OUTSIDER = 'user:default/outsider';
const HOUR = 3600_000;

async function start(
  databaseId: Parameters<typeof databases.init>[0],
  refresh: object = {},
) {
  const github = new FakeSource('github');
  const now = Date.now();
  github.events = [
    deployEvent('github:payments-1', PAYMENTS, now - 2 * HOUR),
    deployEvent('github:ledger-1', LEDGER, now - 3 * HOUR),
  ];
  const knex = await databases.init(databaseId);
  const { server } = await startTestBackend({
    features: [
      dashPlugin,
      fakeSourcesModule(github),
      // The catalog hides ledger-db from the outsider, as a permission policy would.
      catalogHidingFrom(
        [
          entity('payments-api', { 'test/github': 'acme/payments' }, [LEDGER]),
          entity('ledger-db', { 'test/github': 'acme/ledger' }),
        ],
        { user: OUTSIDER, hidden: 'ledger-db' },
      ),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          dash: {
            refresh: {
              maxWaitMs: 5000,
              prewarm: { enabled: false },
              ...refresh,
            },
            // Long enough that only a change, never the lifetime, retires an answer here.
            answerCache: { ttlSeconds: 600 },
          },
        },
      }),
    ],
  });
  const from = new Date(now - 6 * HOUR).toISOString();
  const to = new Date(now - HOUR / 2).toISOString();
  const timeline = (
    user: string,
    query: Record<string, string> = {},
    etag?: string,
  ) => {
    const req = request(server)
      .get('/api/dash/timeline')
      .query({ entityRef: PAYMENTS, from, to, ...query })
      .set('Authorization', mockCredentials.user.header(user));
    return etag ? req.set('If-None-Match', etag) : req;
  };
  return { server, github, timeline, now };
}

const ids = (body: { events: DashEvent[] }) => body.events.map(e => e.id);

describe.each(databases.eachSupportedId())(
  'Timeline answers shared between callers on %p',
  databaseId => {
    afterEach(() => jest.restoreAllMocks());

    it('answers an unchanged timeline 304 to If-None-Match, gzip-compressed otherwise', async () => {
      const { timeline } = await start(databaseId);
      const first = await timeline(ALICE).set('Accept-Encoding', 'gzip');
      expect(first.status).toBe(200);
      expect(first.headers['content-encoding']).toBe('gzip');
      expect(first.headers['cache-control']).toBe('private, no-cache');
      const etag = first.headers.etag;
      expect(etag).toMatch(/^W\/"/);
      expect(ids(first.body)).toEqual(['github:payments-1']);

      const again = await timeline(ALICE, {}, etag);
      expect(again.status).toBe(304);
      expect(again.text ?? '').toBe('');
      // Another validator is not this answer's.
      expect((await timeline(ALICE, {}, 'W/"other"')).status).toBe(200);
      const plain = await timeline(ALICE).set('Accept-Encoding', 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toEqual(first.body);
    });

    it('says in Server-Timing where a computed answer spent its time, and that a cached one was shared', async () => {
      const { timeline } = await start(databaseId);
      const phases = (header: string | undefined) =>
        (header ?? '').split(', ').map(metric => metric.split(';')[0]);
      const dur = /;dur=\d+\.\d$/;

      const first = await timeline(ALICE).set('Accept-Encoding', 'gzip');
      const computed = first.headers['server-timing'];
      expect(phases(computed)).toEqual([
        'auth',
        'entities',
        'feeds',
        'read',
        'correlate',
        'serialize',
        'answer',
        'gzip',
        'total',
      ]);
      expect(computed).toContain('answer;desc="computed"');
      for (const metric of computed
        .split(', ')
        .filter((m: string) => !m.startsWith('answer')))
        expect(metric).toMatch(dur);

      // The same answer again: nothing read, correlated or serialized for this request.
      const cached = await timeline(ALICE).set('Accept-Encoding', 'identity');
      expect(phases(cached.headers['server-timing'])).toEqual([
        'auth',
        'entities',
        'feeds',
        'answer',
        'total',
      ]);
      expect(cached.headers['server-timing']).toContain('answer;desc="shared"');
      const notModified = await timeline(ALICE, {}, first.headers.etag);
      expect(notModified.status).toBe(304);
      expect(notModified.headers['server-timing']).toContain(
        'answer;desc="shared"',
      );
    });

    it('computes an answer once for concurrent identical requests', async () => {
      const { timeline } = await start(databaseId);
      expect((await timeline(ALICE)).status).toBe(200); // fetches the cold feeds
      const query = jest.spyOn(EventStore.prototype, 'query');
      // Another window: a new answer, computed once, then once more for all 20 viewers.
      const one = { from: new Date(Date.now() - 5 * HOUR).toISOString() };
      expect((await timeline(ALICE, one)).status).toBe(200);
      const readsForOne = query.mock.calls.length;
      expect(readsForOne).toBeGreaterThan(0);
      query.mockClear();
      const crowd = { from: new Date(Date.now() - 4 * HOUR).toISOString() };
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => timeline(ALICE, crowd)),
      );
      expect(answers.map(a => a.status)).toEqual(Array(20).fill(200));
      expect(query.mock.calls.length).toBe(readsForOne);
    });

    it('reads the feed states of the same entities once for a crowd of different users asking at once, and again afterwards', async () => {
      const { server, timeline, now } = await start(databaseId);
      expect((await timeline(ALICE)).status).toBe(200); // fetches the cold feeds
      // A slow database: every read takes a second, so the crowd's requests overlap it.
      const getMany = FeedStore.prototype.getMany;
      const reads = jest
        .spyOn(FeedStore.prototype, 'getMany')
        .mockImplementation(async function slow(this: FeedStore, refs) {
          await new Promise(r => setTimeout(r, 1000));
          return getMany.call(this, refs);
        });
      const crowd = { from: new Date(Date.now() - 4 * HOUR).toISOString() };
      const viewers = Array.from(
        { length: 20 },
        (_, i) => `user:default/viewer-${i}`,
      );
      const answers = await Promise.all(viewers.map(v => timeline(v, crowd)));
      expect(answers.map(a => a.status)).toEqual(Array(20).fill(200));
      // One read per request would be 20; concurrent requests share the one running.
      expect(reads.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(reads.mock.calls.length).toBeLessThanOrEqual(5);

      const posted = await request(server)
        .post('/api/dash/changes')
        .set('Authorization', mockCredentials.user.header(ALICE))
        .send({
          id: 'deploy-7',
          entityRef: PAYMENTS,
          time: new Date(now - HOUR).toISOString(),
          title: 'Deploy v7',
          type: 'deploy',
        });
      expect(posted.status).toBe(201);
      reads.mockClear();
      const after = await timeline(viewers[0], crowd);
      // A request after the crowd reads the states again.
      expect(reads).toHaveBeenCalledTimes(1);
      expect(ids(after.body)).toContain(posted.body.event.id);
    });

    it('reuses a read of feed states for a second, except across a feed write of this process', async () => {
      const { server, github, timeline } = await start(databaseId);
      expect((await timeline(ALICE)).status).toBe(200); // fetches the cold feeds
      const reads = jest.spyOn(FeedStore.prototype, 'getMany');
      const first = await timeline(ALICE);
      expect(first.status).toBe(200);
      expect(reads).toHaveBeenCalledTimes(1);
      // Sequential readers within `feedStatesSeconds` (default 1) share that read...
      for (let i = 0; i < 5; i++) {
        expect((await timeline(`user:default/viewer-${i}`)).status).toBe(200);
      }
      expect(reads).toHaveBeenCalledTimes(1);
      // ...and read again once it has expired.
      await new Promise(r => setTimeout(r, 1100));
      expect((await timeline(ALICE)).status).toBe(200);
      expect(reads).toHaveBeenCalledTimes(2);

      // A failed refresh moves no event, but it writes the feed: the next reader sees it.
      github.failWith = new Error('GitHub is down');
      const refreshed = await request(server)
        .post('/api/dash/refresh')
        .set('Authorization', mockCredentials.user.header(ALICE))
        .send({ entityRef: PAYMENTS });
      expect(refreshed.status).toBe(200);
      reads.mockClear();
      const after = await timeline(ALICE);
      expect(reads).toHaveBeenCalledTimes(1);
      const state = after.body.sources.find(
        (s: { id: string; entityRef: string }) =>
          s.id === 'github' && s.entityRef === PAYMENTS,
      );
      expect(state.status).toBe('error');
      expect(after.headers.etag).not.toBe(first.headers.etag);
    });

    it('makes one upstream fetch per feed for 50 concurrent cold requests', async () => {
      const { github, timeline } = await start(databaseId);
      github.latencyMs = 300;
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => timeline(ALICE)),
      );
      expect(answers.map(a => a.status)).toEqual(Array(50).fill(200));
      // payments-api and the ledger-db it depends on: one fetch each.
      expect(github.calls.length).toBe(2);
    });

    it('makes one upstream fetch per feed for concurrent cold requests that give only a start (the end is now)', async () => {
      const { server, github } = await start(databaseId);
      github.latencyMs = 50;
      const from = new Date(Date.now() - 6 * HOUR).toISOString();
      // Sent 10 ms apart, most of them after the first fetch has finished: each one's window
      // ends at its own now.
      const answers = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          await new Promise(r => setTimeout(r, i * 10));
          return request(server)
            .get('/api/dash/timeline')
            .query({ entityRef: PAYMENTS, from })
            .set('Authorization', mockCredentials.user.header(ALICE));
        }),
      );
      expect(answers.map(a => a.status)).toEqual(Array(30).fill(200));
      expect(
        answers.every(a => ids(a.body).includes('github:payments-1')),
      ).toBe(true);
      // payments-api and the ledger-db it depends on: one fetch each.
      expect(github.calls.length).toBe(2);
    });

    it('answers anew after a change is posted and after a refresh found new events', async () => {
      const { server, github, timeline, now } = await start(databaseId);
      const first = await timeline(ALICE);
      const etag = first.headers.etag;

      const posted = await request(server)
        .post('/api/dash/changes')
        .set('Authorization', mockCredentials.user.header(ALICE))
        .send({
          id: 'flag-1',
          entityRef: PAYMENTS,
          time: new Date(now - HOUR).toISOString(),
          title: 'Turn on new-checkout',
          type: 'feature-flag',
        });
      expect(posted.status).toBe(201);
      const afterChange = await timeline(ALICE, {}, etag);
      expect(afterChange.status).toBe(200);
      expect(ids(afterChange.body)).toContain(posted.body.event.id);

      github.events = [
        ...github.events,
        deployEvent('github:payments-2', PAYMENTS, now - HOUR),
      ];
      const refreshed = await request(server)
        .post('/api/dash/refresh')
        .set('Authorization', mockCredentials.user.header(ALICE))
        .send({ entityRef: PAYMENTS });
      expect(refreshed.status).toBe(200);
      const afterRefresh = await timeline(ALICE, {}, afterChange.headers.etag);
      expect(afterRefresh.status).toBe(200);
      expect(ids(afterRefresh.body)).toContain('github:payments-2');
    });

    it('does not fetch a window ending at about now again once it no longer does', async () => {
      // Fresh for an hour: only a window the feeds do not cover makes an upstream call.
      const { github, timeline } = await start(databaseId, {
        freshnessSeconds: 3600,
      });
      const realNow = Date.now;
      const minute = 60_000;
      // Ends 1 ms past a whole minute: aligned to the next one, it starts almost a minute later.
      const toMs = Math.floor(realNow() / minute) * minute + 1;
      const window = {
        from: new Date(toMs - 6 * HOUR).toISOString(),
        to: new Date(toMs).toISOString(),
      };
      const first = await timeline(ALICE, window);
      expect(first.status).toBe(200);
      expect(first.body.to).toBe(new Date(toMs - 1 + minute).toISOString());
      // payments-api and the ledger-db it depends on: one fetch each.
      expect(github.calls.length).toBe(2);

      // The same window 90 s later no longer ends at about now: it is answered as asked.
      jest
        .spyOn(Date, 'now')
        .mockImplementation(() => realNow.call(Date) + 90_000);
      const later = await timeline(ALICE, window);
      expect(later.status).toBe(200);
      expect(later.body.from).toBe(window.from);
      expect(ids(later.body)).toEqual(['github:payments-1']);
      expect(github.calls.length).toBe(2);
    });

    it('never shows a caller an entity they may not read through an answer cached for someone else', async () => {
      const { timeline } = await start(databaseId);
      const withDeps = { includeDependencies: 'true' };
      const alice = await timeline(ALICE, withDeps);
      expect(alice.status).toBe(200);
      expect(alice.body.dependencyRefs).toEqual([LEDGER]);
      expect(ids(alice.body)).toEqual(['github:ledger-1', 'github:payments-1']);

      const outsider = await timeline(OUTSIDER, withDeps, alice.headers.etag);
      expect(outsider.status).toBe(200);
      expect(outsider.body.dependencyRefs).toEqual([]);
      expect(ids(outsider.body)).toEqual(['github:payments-1']);
      expect(JSON.stringify(outsider.body)).not.toContain('ledger');

      const denied = await timeline(OUTSIDER, { entityRef: LEDGER });
      expect(denied.status).toBe(404);
    });
  },
);
