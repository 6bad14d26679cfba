import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { Knex } from 'knex';
import { migrateClient } from '../../database/migrations';
import { FakeSource, entity } from '../../testUtils/fakeSource';
import { EventStore } from '../EventStore/EventStore';
import { FeedStore } from '../FeedStore/FeedStore';
import { UpstreamGuard } from '../UpstreamGuard/UpstreamGuard';
import { DEFAULT_BACKOFF } from './backoff';
import { RefreshEngine } from './RefreshEngine';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const REF = 'component:default/payments-api';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** An engine on a clock the test moves (no real sleeps between polls). */
function makeEngine(
  knex: Knex,
  sources: FakeSource[],
  clock: () => number,
  retentionMs?: number,
) {
  const logger = mockServices.logger.mock();
  const guards = new Map(
    sources.map(s => [
      s.id,
      new UpstreamGuard({
        sourceId: s.id,
        logger,
        timeoutMs: 2000,
        retries: 0,
        retryBaseDelayMs: 1,
        // Out of the way: this is about the per-feed backoff, not the shared breaker.
        breakerThreshold: 1000,
        breakerHalfOpenAfterMs: 1000,
        concurrency: 10,
        queue: 100,
        maxBudgetWaitMs: 0,
        clock,
      }),
    ]),
  );
  const engine = new RefreshEngine({
    sources,
    events: new EventStore(knex),
    feeds: new FeedStore(knex),
    guards,
    logger,
    instanceId: 'replica-1',
    freshnessMs: () => 60_000,
    overlapMs: HOUR,
    leaseMs: 10_000,
    leasePollMs: 20,
    retentionMs,
    clock,
  });
  return { engine, feeds: new FeedStore(knex) };
}

describe.each(databases.eachSupportedId())(
  'RefreshEngine backoff and retention on %p',
  databaseId => {
    let knex: Knex;
    const payments = entity('payments-api', {
      'test/github': 'acme/payments-api',
      'test/pagerduty': 'PPAYAPI',
    });

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await migrateClient(knex);
    });

    it('backs a failing feed off exponentially up to a cap, says when it tries next, and recovers after a success', async () => {
      let now = Date.parse('2026-06-01T00:00:00Z');
      const github = new FakeSource('github');
      github.failWith = new UpstreamError('error', 'GitHub answered 503', {
        httpStatus: 503,
      });
      const { engine, feeds } = makeEngine(knex, [github], () => now);
      const callTimes: number[] = [];
      const poll = async () => {
        const before = github.calls.length;
        const [state] = await engine.ensure(payments, REF, now - HOUR, {
          waitMs: 5000,
          maxAgeMs: 15_000, // live mode
        });
        if (github.calls.length > before) callTimes.push(now);
        return state;
      };

      // A live view polling every 10 s for 40 minutes.
      for (let i = 0; i < 240; i++) {
        now += 10_000;
        const state = await poll();
        expect(state.status).toBe('error');
        const feed = await feeds.get('github', REF);
        expect(state.nextAttemptAt).toBe(
          new Date(feed!.retryAfterMs!).toISOString(),
        );
      }
      // 240 polls, a handful of upstream calls: 30 s, 1, 2, 4, 8 min, then 15 min apart.
      expect(callTimes.length).toBeLessThanOrEqual(8);
      expect(callTimes.length).toBeGreaterThanOrEqual(6);
      const gaps = callTimes.slice(1).map((t, i) => t - callTimes[i]);
      expect(gaps.slice(0, 5)).toEqual([
        30_000, 60_000, 120_000, 240_000, 480_000,
      ]);
      for (const gap of gaps.slice(5)) {
        expect(gap).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs + 10_000);
        expect(gap).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.maxMs);
      }

      // The upstream is back: the next try succeeds and the backoff starts over.
      github.failWith = undefined;
      const next = (await feeds.get('github', REF))!.retryAfterMs!;
      now = next;
      const recovered = await poll();
      expect(recovered).toMatchObject({ status: 'ok' });
      expect(recovered.nextAttemptAt).toBeUndefined();
      expect((await feeds.get('github', REF))?.failures).toBe(0);

      github.failWith = new Error('connection reset');
      const [failedAgain] = await engine.ensure(payments, REF, now - HOUR, {
        waitMs: 5000,
        force: true,
      });
      expect(failedAgain.status).toBe('error');
      expect(Date.parse(failedAgain.nextAttemptAt!) - now).toBe(
        DEFAULT_BACKOFF.initialMs,
      );
    });

    it('backs off harder on bad credentials and keeps honouring Retry-After', async () => {
      let now = Date.parse('2026-06-01T00:00:00Z');
      const pagerduty = new FakeSource('pagerduty');
      const github = new FakeSource('github');
      pagerduty.failWith = new UpstreamError('unauthorized', 'bad token');
      github.failWith = new UpstreamError('rate-limited', 'GitHub said 429', {
        retryAfterMs: 42_000,
      });
      const { engine } = makeEngine(knex, [github, pagerduty], () => now);
      const read = async () =>
        Object.fromEntries(
          (
            await engine.ensure(payments, REF, now - HOUR, { waitMs: 5000 })
          ).map(s => [s.id, s]),
        );
      let states = await read();
      expect(states.pagerduty).toMatchObject({
        status: 'unauthorized',
        nextAttemptAt: new Date(
          now + DEFAULT_BACKOFF.unauthorizedInitialMs,
        ).toISOString(),
      });
      expect(states.github).toMatchObject({
        status: 'rate-limited',
        retryAfter: new Date(now + 42_000).toISOString(),
        nextAttemptAt: new Date(now + 42_000).toISOString(),
      });
      now += 60_000;
      states = await read();
      // GitHub's Retry-After is over: tried again; PagerDuty still waits.
      expect(github.calls).toHaveLength(2);
      expect(pagerduty.calls).toHaveLength(1);
      expect(states.pagerduty.status).toBe('unauthorized');

      // The refresh button tries a backed-off feed at once (the token may have been fixed),
      // but never cuts short GitHub's second Retry-After (42 s from the last read).
      pagerduty.failWith = undefined;
      const forced = Object.fromEntries(
        (
          await engine.ensure(payments, REF, now - HOUR, {
            waitMs: 5000,
            force: true,
          })
        ).map(s => [s.id, s]),
      );
      expect(pagerduty.calls).toHaveLength(2);
      expect(forced.pagerduty).toMatchObject({ status: 'ok' });
      expect(forced.pagerduty.nextAttemptAt).toBeUndefined();
      expect(github.calls).toHaveLength(2);
      expect(forced.github.status).toBe('rate-limited');
    });

    it('answers a window from before the retention cutoff from the store, without calling any upstream', async () => {
      const github = new FakeSource('github');
      const pagerduty = new FakeSource('pagerduty');
      const { engine } = makeEngine(
        knex,
        [github, pagerduty],
        Date.now,
        90 * DAY,
      );
      const started = Date.now();
      const states = await engine.ensure(
        payments,
        REF,
        Date.parse('1970-01-01T00:00:00Z'),
        { waitMs: 5000, toMs: Date.parse('1970-01-31T00:00:00Z') },
      );
      expect(Date.now() - started).toBeLessThan(1000);
      expect(github.calls).toHaveLength(0);
      expect(pagerduty.calls).toHaveLength(0);
      expect(states.map(s => s.status)).toEqual(['ok', 'ok']);
      expect(states[0].message).toMatch(/90-day retention/);
    });

    it('fetches a window that starts before the retention cutoff only from the cutoff on', async () => {
      const now = Date.parse('2026-06-01T00:00:00Z');
      const github = new FakeSource('github');
      const { engine } = makeEngine(knex, [github], () => now, 90 * DAY);
      const [state] = await engine.ensure(
        payments,
        REF,
        Date.parse('1970-01-01T00:00:00Z'),
        { waitMs: 5000, toMs: now },
      );
      expect(state.status).toBe('ok');
      expect(github.calls).toHaveLength(1);
      expect(github.calls[0].from.getTime()).toBe(now - 90 * DAY);
      // Covered from the cutoff: the same window again is fresh, no second call.
      await engine.ensure(payments, REF, Date.parse('1970-01-01T00:00:00Z'), {
        waitMs: 5000,
        toMs: now,
      });
      expect(github.calls).toHaveLength(1);
    });
  },
);
