import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { Knex } from 'knex';
import { migrateClient } from '../../database/migrations';
import { FakeSource, entity } from '../../testUtils/fakeSource';
import { ChangeIngest } from '../ChangeIngest/ChangeIngest';
import { EventStore } from '../EventStore/EventStore';
import { FeedStore } from '../FeedStore/FeedStore';
import { UpstreamGuard } from '../UpstreamGuard/UpstreamGuard';
import { RefreshEngine } from './RefreshEngine';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const REF = 'component:default/payments-api';
const HOUR = 3600_000;

function deploy(id: string, startTime: string, title = `Deploy ${id}`) {
  const e: DashEvent = {
    id,
    source: 'github',
    kind: 'deploy',
    title,
    severity: 'info',
    startTime,
    entityRef: REF,
    attributes: { environment: 'production' },
  };
  return e;
}

describe.each(databases.eachSupportedId())(
  'Timeline changes (Signals) on %p',
  databaseId => {
    let knex: Knex;
    const payments = entity('payments-api', { 'test/github': 'acme/pay' });

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await migrateClient(knex);
    });

    it('tells of new and updated events after a refresh, and of nothing when a refresh changed nothing', async () => {
      const logger = mockServices.logger.mock();
      const github = new FakeSource('github');
      const changes = { changed: jest.fn() };
      const engine = new RefreshEngine({
        sources: [github],
        events: new EventStore(knex),
        feeds: new FeedStore(knex),
        guards: new Map([
          [
            'github',
            new UpstreamGuard({
              sourceId: 'github',
              logger,
              timeoutMs: 2000,
              retries: 0,
              retryBaseDelayMs: 1,
              breakerThreshold: 100,
              breakerHalfOpenAfterMs: 1000,
              concurrency: 10,
              queue: 1000,
              maxBudgetWaitMs: 0,
            }),
          ],
        ]),
        logger,
        instanceId: 'replica-1',
        freshnessMs: () => 60_000,
        overlapMs: HOUR,
        leaseMs: 10_000,
        changes,
      });
      const now = Date.now();
      const at = new Date(now - HOUR / 2).toISOString();
      const force = { waitMs: 5000, force: true };

      github.events = [deploy('github:d1', at)];
      await engine.ensure(payments, REF, now - HOUR, force);
      expect(changes.changed).toHaveBeenCalledTimes(1);
      expect(changes.changed).toHaveBeenLastCalledWith(REF, 'github');

      // The same answer again: nothing changed, nothing said.
      await engine.ensure(payments, REF, now - HOUR, force);
      expect(github.calls).toHaveLength(2);
      expect(changes.changed).toHaveBeenCalledTimes(1);

      // An updated event (a deployment that finished) is a change.
      github.events = [deploy('github:d1', at, 'Deploy d1 (finished)')];
      await engine.ensure(payments, REF, now - HOUR, force);
      expect(changes.changed).toHaveBeenCalledTimes(2);

      // A failed refresh says nothing.
      github.failWith = new Error('boom');
      await engine.ensure(payments, REF, now - HOUR, force);
      expect(changes.changed).toHaveBeenCalledTimes(2);
    });

    it('tells of a posted change event when it is new or different, not when it is repeated', async () => {
      const changes = { changed: jest.fn() };
      const ingest = new ChangeIngest({
        events: new EventStore(knex),
        changes,
      });
      const credentials = {
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'service', subject: 'plugin:deployctl' },
      } as BackstageCredentials;
      const input = {
        id: 'deploy-42',
        entityRef: REF,
        type: 'deploy' as const,
        title: 'Deploy v42',
        time: new Date().toISOString(),
      };
      expect((await ingest.ingest(input, credentials)).created).toBe(true);
      expect(changes.changed).toHaveBeenCalledWith(REF, 'changes');
      await ingest.ingest(input, credentials);
      expect(changes.changed).toHaveBeenCalledTimes(1);
      await ingest.ingest(
        { ...input, title: 'Deploy v42 (fixed)' },
        credentials,
      );
      expect(changes.changed).toHaveBeenCalledTimes(2);
    });
  },
);
