import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { Knex } from 'knex';
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
const LEASE_MS = 300;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A fake source whose every answer carries this cursor and this version of one event. */
function sourceAnswering(cursor: string, title: string, latencyMs: number) {
  const source = new FakeSource('github');
  source.latencyMs = latencyMs;
  source.events = [
    {
      id: 'github:deploy-1',
      source: 'github',
      kind: 'deploy',
      title,
      severity: 'info',
      startTime: new Date(Date.now() - HOUR / 2).toISOString(),
      entityRef: REF,
      attributes: {},
    } as DashEvent,
  ];
  const fetchEvents = source.fetchEvents.bind(source);
  source.fetchEvents = async (request, context) => ({
    ...(await fetchEvents(request, context)),
    cursor,
  });
  return source;
}

function replica(
  knex: Knex,
  source: FakeSource,
  instanceId: string,
  leaseRenewMs?: number,
) {
  const logger = mockServices.logger.mock();
  const guard = new UpstreamGuard({
    sourceId: source.id,
    logger,
    timeoutMs: 5000,
    retries: 0,
    retryBaseDelayMs: 1,
    breakerThreshold: 100,
    breakerHalfOpenAfterMs: 1000,
    concurrency: 10,
    queue: 100,
    maxBudgetWaitMs: 0,
  });
  const engine = new RefreshEngine({
    sources: [source],
    events: new EventStore(knex),
    feeds: new FeedStore(knex),
    guards: new Map([[source.id, guard]]),
    logger,
    instanceId,
    freshnessMs: () => 60_000,
    overlapMs: HOUR,
    leaseMs: LEASE_MS,
    leasePollMs: 20,
    leaseRenewMs,
  });
  return { engine, logger };
}

describe.each(databases.eachSupportedId())(
  'RefreshEngine leases on %p',
  databaseId => {
    let knex: Knex;
    const payments = entity('payments-api', {
      'test/github': 'acme/payments-api',
    });

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await migrateClient(knex);
    });

    it('renews the lease while a refresh outlasts it, so another replica does not refresh in parallel', async () => {
      const slow = sourceAnswering('slow', 'slow', 3 * LEASE_MS);
      const other = sourceAnswering('other', 'other', 0);
      const one = replica(knex, slow, 'replica-1');
      const two = replica(knex, other, 'replica-2');
      const from = Date.now() - HOUR;

      const first = one.engine.ensure(payments, REF, from, { waitMs: 10_000 });
      // Well past the lease: without a heartbeat it would have run out by now.
      await sleep(1.5 * LEASE_MS);
      const feed = await new FeedStore(knex).get('github', REF);
      expect(feed?.leaseOwner).toBe('replica-1');
      expect(feed!.leaseExpiresMs!).toBeGreaterThan(Date.now());

      await two.engine.ensure(payments, REF, from, {
        waitMs: 10_000,
        force: true,
      });
      await first;
      expect(slow.calls).toHaveLength(1);
      expect(other.calls).toHaveLength(0);
      expect(await new FeedStore(knex).get('github', REF)).toMatchObject({
        cursor: 'slow',
        status: 'ok',
        leaseOwner: undefined,
      });
    });

    it('drops the outcome of a refresh that lost its lease: the newer cursor and events stay', async () => {
      // No heartbeat: the slow refresh runs past its lease and the other replica takes over.
      const slow = sourceAnswering('slow', 'older copy', 3 * LEASE_MS);
      const fast = sourceAnswering('fast', 'newer copy', 0);
      const one = replica(knex, slow, 'replica-1', 0);
      const two = replica(knex, fast, 'replica-2', 0);
      const from = Date.now() - HOUR;

      const first = one.engine.ensure(payments, REF, from, { waitMs: 10_000 });
      await sleep(1.5 * LEASE_MS);
      await two.engine.ensure(payments, REF, from, {
        waitMs: 10_000,
        force: true,
      });
      expect(fast.calls).toHaveLength(1);
      await first;
      expect(slow.calls).toHaveLength(1);

      expect(await new FeedStore(knex).get('github', REF)).toMatchObject({
        cursor: 'fast',
        status: 'ok',
        leaseOwner: undefined,
      });
      const stored = await new EventStore(knex).query({
        entityRefs: [REF],
        fromMs: 0,
        toMs: Date.now() + 1,
      });
      expect(stored.map(e => e.title)).toEqual(['newer copy']);
      expect(one.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('another replica took the feed over'),
      );
    });
  },
);
