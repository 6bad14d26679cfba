import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { migrateClient } from '../../database/migrations';
import { FakeSource, entity } from '../../testUtils/fakeSource';
import { EventStore } from '../EventStore/EventStore';
import { FeedStore } from '../FeedStore/FeedStore';
import { UpstreamGuard } from '../UpstreamGuard/UpstreamGuard';
import { RefreshEngine } from './RefreshEngine';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const REF = 'component:default/payments-api';
const HOUR = 3600_000;

/** What pg throws when the server is gone: the driver's text names the host and port. */
const connectionRefused = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.20.30.40:5432'), {
    code: 'ECONNREFUSED',
  });

describe.each(databases.eachSupportedId())(
  'RefreshEngine when the database fails on %p',
  databaseId => {
    it('logs a failed background refresh with its feed, and does not blame the source', async () => {
      const knex = await databases.init(databaseId);
      await migrateClient(knex);
      const feeds = new FeedStore(knex);
      const events = new EventStore(knex);
      const source = new FakeSource('github');
      source.events = [
        {
          id: 'github:c1',
          source: 'github',
          kind: 'commit',
          title: 'c1',
          severity: 'info',
          startTime: new Date(Date.now() - HOUR).toISOString(),
          entityRef: REF,
          attributes: {},
        },
      ];
      const logger = mockServices.logger.mock();
      let now = Date.now();
      const engine = new RefreshEngine({
        sources: [source],
        events,
        feeds,
        guards: new Map([
          [
            'github',
            new UpstreamGuard({
              sourceId: 'github',
              logger,
              timeoutMs: 5000,
              retries: 0,
              retryBaseDelayMs: 1,
              breakerThreshold: 100,
              breakerHalfOpenAfterMs: 1000,
              concurrency: 10,
              queue: 100,
              maxBudgetWaitMs: 0,
            }),
          ],
        ]),
        logger,
        instanceId: 'replica-1',
        freshnessMs: () => 60_000,
        overlapMs: HOUR,
        leaseMs: 10_000,
        clock: () => now,
      });
      const e = entity('payments-api', { 'test/github': 'acme/payments' });
      const fromMs = now - 2 * HOUR;
      await engine.ensure(e, REF, fromMs, { waitMs: 5000 });
      expect((await feeds.get('github', REF))?.status).toBe('ok');

      // Stale now; the background refresh's write fails as if the database had gone away.
      now += 120_000;
      const upsert = jest
        .spyOn(events, 'upsertChanges')
        .mockRejectedValue(connectionRefused());
      const states = await engine.ensure(e, REF, fromMs, { waitMs: 5000 });
      expect(states[0].status).toBe('refreshing');
      const deadline = Date.now() + 5000;
      while (!logger.error.mock.calls.length && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 20));
      }
      upsert.mockRestore();

      const logged = logger.error.mock.calls.map(c => String(c[0])).join('\n');
      expect(logged).toContain('github');
      expect(logged).toContain(REF);
      expect(logged).toContain('ECONNREFUSED');
      // The source did nothing wrong: its status does not carry the driver's text.
      const feed = await feeds.get('github', REF);
      expect(feed?.status).toBe('ok');
      expect(feed?.error ?? '').not.toContain('10.20.30.40');
    });
  },
);
