import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { Knex } from 'knex';
import { migrateClient } from '../../database/migrations';
import { FakeSource, entity } from '../../testUtils/fakeSource';
import { EventStore } from '../EventStore/EventStore';
import { FeedStore } from '../FeedStore/FeedStore';
import { UpstreamGuard } from '../UpstreamGuard/UpstreamGuard';
import { RefreshEngine } from './RefreshEngine';

// Built at run time so that the linter sees test data, not a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const REF = 'component:default/payments-api';
const HOUR = 3600_000;

function deploy(id: string, startTime: string): DashEvent {
  return {
    id,
    source: 'github',
    kind: 'deploy',
    title: `Deploy ${id}`,
    severity: 'info',
    startTime,
    entityRef: REF,
    attributes: { environment: 'production' },
  };
}

function makeEngine(
  knex: Knex,
  sources: FakeSource[],
  overrides: {
    instanceId?: string;
    freshnessMs?: number;
    timeoutMs?: number;
    clock?: () => number;
    sleep?: (ms: number) => Promise<void>;
    requestsPerMinute?: Record<string, number>;
  } = {},
) {
  const logger = mockServices.logger.mock();
  const guards = new Map(
    sources.map(s => [
      s.id,
      new UpstreamGuard({
        sourceId: s.id,
        logger,
        timeoutMs: overrides.timeoutMs ?? 2000,
        retries: 0,
        retryBaseDelayMs: 1,
        breakerThreshold: 100,
        breakerHalfOpenAfterMs: 1000,
        concurrency: 10,
        queue: 1000,
        maxBudgetWaitMs: 0,
        requestsPerMinute: overrides.requestsPerMinute?.[s.id],
        clock: overrides.clock,
      }),
    ]),
  );
  const events = new EventStore(knex);
  const engine = new RefreshEngine({
    sources,
    events,
    feeds: new FeedStore(knex),
    guards,
    logger,
    instanceId: overrides.instanceId ?? 'replica-1',
    freshnessMs: () => overrides.freshnessMs ?? 60_000,
    overlapMs: HOUR,
    leaseMs: 10_000,
    leasePollMs: 20,
    clock: overrides.clock,
    sleep: overrides.sleep,
  });
  return { engine, events, guards };
}

/**
 * Waits (bounded, 5 s) until the source has been called n times: a background refresh runs
 * behind the answer, and on a loaded machine it can take longer than a fixed pause.
 */
async function callsReach(source: { calls: unknown[] }, n: number) {
  for (let waited = 0; source.calls.length < n && waited < 5000; waited += 20) {
    await new Promise(r => setTimeout(r, 20));
  }
}

describe.each(databases.eachSupportedId())(
  'RefreshEngine on %p',
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

    it('fetches a cold feed once, stores it, and serves it fresh without calling again', async () => {
      const github = new FakeSource('github');
      const now = Date.now();
      github.events = [deploy('github:d1', new Date(now - HOUR).toISOString())];
      const { engine, events } = makeEngine(knex, [github]);

      const states = await engine.ensure(payments, REF, now - 24 * HOUR, {
        waitMs: 5000,
      });
      expect(states).toEqual([
        expect.objectContaining({
          id: 'github',
          status: 'ok',
          entityRef: REF,
          fetchedAt: expect.any(String),
        }),
      ]);
      expect(github.calls).toHaveLength(1);
      expect(
        (
          await events.query({ entityRefs: [REF], fromMs: 0, toMs: now + 1 })
        ).map(e => e.id),
      ).toEqual(['github:d1']);

      await engine.ensure(payments, REF, now - 24 * HOUR, { waitMs: 5000 });
      expect(github.calls).toHaveLength(1);
    });

    it('reads the feeds of several entities in one query and answers each entity its own states', async () => {
      const github = new FakeSource('github');
      const { engine } = makeEngine(knex, [github]);
      const cart = entity('cart', { 'test/github': 'acme/cart' });
      const bare = entity('bare', {});
      const CART = 'component:default/cart';
      const from = Date.now() - HOUR;
      await engine.ensure(payments, REF, from, { waitMs: 5000 });
      await engine.ensure(cart, CART, from, { waitMs: 5000 });
      expect(github.calls).toHaveLength(2);

      const reads = jest.spyOn(FeedStore.prototype, 'getMany');
      try {
        const states = await engine.ensureMany(
          [
            { entity: payments, entityRef: REF },
            { entity: bare, entityRef: 'component:default/bare' },
            { entity: cart, entityRef: CART },
            { entity: cart, entityRef: CART, onlySources: ['pagerduty'] },
          ],
          from,
          { waitMs: 5000 },
        );
        expect(
          states.map(list => list.map(st => [st.entityRef, st.status])),
        ).toEqual([[[REF, 'ok']], [], [[CART, 'ok']], []]);
        expect(reads).toHaveBeenCalledTimes(1);
        expect(reads.mock.calls[0][0]).toEqual([REF, CART]);
        // Both were fresh: no upstream call.
        expect(github.calls).toHaveLength(2);
      } finally {
        reads.mockRestore();
      }
    });

    it('costs the upstream one call for 100 concurrent cold requests', async () => {
      const github = new FakeSource('github');
      github.latencyMs = 100;
      const { engine } = makeEngine(knex, [github]);
      const from = Date.now() - HOUR;
      await Promise.all(
        Array.from({ length: 100 }, () =>
          engine.ensure(payments, REF, from, { waitMs: 5000 }),
        ),
      );
      expect(github.calls).toHaveLength(1);
    });

    it('shares one refresh across two replicas through the database lease', async () => {
      const github1 = new FakeSource('github');
      const github2 = new FakeSource('github');
      github1.latencyMs = 200;
      github2.latencyMs = 200;
      const one = makeEngine(knex, [github1], { instanceId: 'replica-1' });
      const two = makeEngine(knex, [github2], { instanceId: 'replica-2' });
      const from = Date.now() - HOUR;
      const [a, b] = await Promise.all([
        one.engine.ensure(payments, REF, from, { waitMs: 5000 }),
        two.engine.ensure(payments, REF, from, { waitMs: 5000 }),
      ]);
      expect(github1.calls.length + github2.calls.length).toBe(1);
      expect(a[0].status).toBe('ok');
      expect(b[0].status).toBe('ok');
    });

    it('does not fetch again when another refresh finished between its read of the feed and its lease', async () => {
      const github1 = new FakeSource('github');
      const github2 = new FakeSource('github');
      const one = makeEngine(knex, [github1], { instanceId: 'replica-1' });
      const two = makeEngine(knex, [github2], { instanceId: 'replica-2' });
      const from = Date.now() - HOUR;
      await one.engine.ensure(payments, REF, from, { waitMs: 5000 });
      expect(github1.calls).toHaveLength(1);
      // Replica 2 read the feed just before replica 1's refresh was stored: to it, the feed is
      // cold. By the time it takes the lease, the feed is fetched and covers the window.
      const reads = jest
        .spyOn(FeedStore.prototype, 'getMany')
        .mockResolvedValueOnce([]);
      try {
        const [state] = await two.engine.ensure(payments, REF, from, {
          waitMs: 5000,
        });
        expect(state.status).toBe('ok');
      } finally {
        reads.mockRestore();
      }
      expect(github2.calls).toHaveLength(0);
      // The lease was given back: a refresh the user asks for goes ahead.
      await two.engine.ensure(payments, REF, from, {
        waitMs: 5000,
        force: true,
      });
      expect(github2.calls).toHaveLength(1);
    });

    it('answers a slow cold feed after the wait budget with status refreshing, then has the events', async () => {
      const github = new FakeSource('github');
      const now = Date.now();
      github.latencyMs = 400;
      github.events = [
        deploy('github:slow', new Date(now - HOUR).toISOString()),
      ];
      const { engine, events } = makeEngine(knex, [github]);
      const started = Date.now();
      const [state] = await engine.ensure(payments, REF, now - 2 * HOUR, {
        waitMs: 50,
      });
      expect(Date.now() - started).toBeLessThan(350);
      expect(state.status).toBe('refreshing');
      expect(state.message).toMatch(/first time/);
      await new Promise(r => setTimeout(r, 600));
      expect(
        (
          await events.query({ entityRefs: [REF], fromMs: 0, toMs: now + 1 })
        ).map(e => e.id),
      ).toEqual(['github:slow']);
      expect((await engine.states(payments, REF))[0].status).toBe('ok');
    });

    it('serves a stale feed at once and refreshes it behind the answer, incrementally with an overlap', async () => {
      const github = new FakeSource('github');
      const { engine } = makeEngine(knex, [github], { freshnessMs: 0 });
      const from = Date.now() - 24 * HOUR;
      await engine.ensure(payments, REF, from, { waitMs: 5000 });
      expect(github.calls).toHaveLength(1);
      expect(github.calls[0].cursor).toBeUndefined();

      const [state] = await engine.ensure(payments, REF, from, {
        waitMs: 5000,
      });
      expect(state.status).toBe('refreshing');
      await callsReach(github, 2);
      expect(github.calls).toHaveLength(2);
      // The second fetch starts an hour (the overlap) before the first one's end, not at `from`,
      // and gets the cursor the first returned.
      const first = github.calls[0];
      const second = github.calls[1];
      expect(second.from.getTime()).toBe(first.to.getTime() - HOUR);
      expect(second.cursor).toBe('cursor-1');
    });

    it('refreshes sooner for a live view, still once per feed', async () => {
      const github = new FakeSource('github');
      const { engine } = makeEngine(knex, [github], { freshnessMs: 60_000 });
      const from = Date.now() - HOUR;
      await engine.ensure(payments, REF, from, { waitMs: 5000 });
      await new Promise(r => setTimeout(r, 30));
      // Fresh by the source's 60 s: no call.
      await engine.ensure(payments, REF, from, { waitMs: 5000 });
      expect(github.calls).toHaveLength(1);
      // A live view counts anything older than 10 ms as stale: refreshed behind the answer, once
      // for many viewers.
      const states = await Promise.all(
        Array.from({ length: 10 }, () =>
          engine.ensure(payments, REF, from, { waitMs: 5000, maxAgeMs: 10 }),
        ),
      );
      // What they see is fresh by the source's 60 s, so the refresh is not announced: the
      // answer (and its ETag) stays the same while it runs.
      expect(states.every(([s]) => s.status === 'ok')).toBe(true);
      await callsReach(github, 2);
      // Give a second, wrong refresh the time to show up before counting.
      await new Promise(r => setTimeout(r, 100));
      expect(github.calls).toHaveLength(2);
    });

    it('waits for a stale feed in live mode, once for many viewers, and answers with what it fetched', async () => {
      const github = new FakeSource('github');
      const { engine, events } = makeEngine(knex, [github], {
        freshnessMs: 60_000,
      });
      const from = Date.now() - HOUR;
      await engine.ensure(payments, REF, from, { waitMs: 5000 });
      github.events = [deploy('github:new', new Date().toISOString())];
      await new Promise(r => setTimeout(r, 30));
      const states = await Promise.all(
        Array.from({ length: 10 }, () =>
          engine.ensure(payments, REF, from, {
            waitMs: 5000,
            maxAgeMs: 10,
            waitForStale: true,
          }),
        ),
      );
      // Every viewer's answer comes after the refresh: the new event is stored, the feed ok.
      expect(states.every(([s]) => s.status === 'ok')).toBe(true);
      expect(github.calls).toHaveLength(2);
      const stored = await events.query({
        entityRefs: [REF],
        fromMs: from,
        toMs: Date.now(),
      });
      expect(stored.map(e => e.id)).toContain('github:new');
    });

    it('answers a live view with what is stored when the stale feed takes longer than the wait, announcing the refresh only when the feed is stale by its source', async () => {
      const github = new FakeSource('github');
      const { engine } = makeEngine(knex, [github], { freshnessMs: 60_000 });
      const from = Date.now() - HOUR;
      await engine.ensure(payments, REF, from, { waitMs: 5000 });
      await new Promise(r => setTimeout(r, 30));
      github.latencyMs = 1000;
      const started = Date.now();
      const [state] = await engine.ensure(payments, REF, from, {
        waitMs: 200,
        maxAgeMs: 10,
        waitForStale: true,
      });
      expect(Date.now() - started).toBeLessThan(900);
      // Fresh by the source's 60 s: what is shown is current, and the answer (and its ETag)
      // stays the same while the refresh runs.
      expect(state.status).toBe('ok');
      // The refresh goes on behind the answer, and ends.
      expect(github.calls).toHaveLength(2);
      await new Promise(r => setTimeout(r, 1200));

      // Stale by the source's own freshness too: the reader is told newer events are coming.
      const stale = makeEngine(knex, [github], { freshnessMs: 100 });
      await new Promise(r => setTimeout(r, 150));
      const [announced] = await stale.engine.ensure(payments, REF, from, {
        waitMs: 200,
        maxAgeMs: 10,
        waitForStale: true,
      });
      expect(announced.status).toBe('refreshing');
      expect(announced.message).toBe(
        'Fetching newer events; showing what is stored',
      );
      expect(github.calls).toHaveLength(3);
      await new Promise(r => setTimeout(r, 1200));
    });

    it('fetches again from further back when asked for an older window than it covers', async () => {
      const github = new FakeSource('github');
      const { engine } = makeEngine(knex, [github]);
      const now = Date.now();
      await engine.ensure(payments, REF, now - HOUR, { waitMs: 5000 });
      await engine.ensure(payments, REF, now - 7 * 24 * HOUR, { waitMs: 5000 });
      expect(github.calls).toHaveLength(2);
      expect(github.calls[1].from.getTime()).toBe(now - 7 * 24 * HOUR);
    });

    it('degrades one source when its upstream fails, keeps its old events, and leaves the others alone', async () => {
      const github = new FakeSource('github');
      const pagerduty = new FakeSource('pagerduty', 'PagerDuty');
      const now = Date.now();
      github.events = [
        deploy('github:kept', new Date(now - HOUR).toISOString()),
      ];
      const { engine, events } = makeEngine(knex, [github, pagerduty], {
        freshnessMs: 0,
        timeoutMs: 100,
      });
      await engine.ensure(payments, REF, now - 2 * HOUR, { waitMs: 5000 });

      github.failWith = new UpstreamError('rate-limited', 'GitHub said 429', {
        retryAfterMs: 60_000,
      });
      pagerduty.hang = true;
      // Force, so that both are fetched again and waited for.
      const states = await engine.ensure(payments, REF, now - 2 * HOUR, {
        waitMs: 5000,
        force: true,
      });
      const byId = Object.fromEntries(states.map(s => [s.id, s]));
      expect(byId.github).toMatchObject({
        status: 'rate-limited',
        message: 'GitHub said 429',
        retryAfter: expect.any(String),
        fetchedAt: expect.any(String),
      });
      expect(byId.pagerduty).toMatchObject({
        status: 'timed-out',
        message: 'pagerduty did not answer within 100 ms',
      });
      expect(
        (
          await events.query({ entityRefs: [REF], fromMs: 0, toMs: now + 1 })
        ).map(e => e.id),
      ).toEqual(['github:kept']);

      // While the rate limit lasts, GitHub is not called at all.
      const callsBefore = github.calls.length;
      await engine.ensure(payments, REF, now - 2 * HOUR, { waitMs: 5000 });
      expect(github.calls.length).toBe(callsBefore);
    });

    it('stores an upstream error that quotes a malformed body with NUL characters in it', async () => {
      // What a JSON parser says about a truncated body: PostgreSQL refuses NUL in text.
      const github = new FakeSource('github');
      github.failWith = new Error(
        'Unexpected token \u0000, "{"took":3,"hits"\u0000{"truncated" is not valid JSON',
      );
      const { engine } = makeEngine(knex, [github]);
      const [state] = await engine.ensure(payments, REF, Date.now() - HOUR, {
        waitMs: 5000,
      });
      expect(state.status).toBe('error');
      expect(state.message).toContain('"hits"{"truncated" is not valid JSON');
      expect(state.message).not.toContain('\u0000');
    });

    it('fails only the source whose refresh cannot record its outcome, not the whole answer', async () => {
      const github = new FakeSource('github');
      const pagerduty = new FakeSource('pagerduty', 'PagerDuty');
      const { engine } = makeEngine(knex, [github, pagerduty]);
      github.failWith = new Error('GitHub answered garbage');
      // Recording that failure fails too (as a NUL in the message once did on PostgreSQL).
      const markFailure = FeedStore.prototype.markFailure;
      const spy = jest
        .spyOn(FeedStore.prototype, 'markFailure')
        .mockImplementation(async function mark(this: FeedStore, ...args) {
          if (args[0] === 'github') {
            throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
          }
          return markFailure.apply(this, args);
        });
      try {
        const states = await engine.ensure(payments, REF, Date.now() - HOUR, {
          waitMs: 5000,
        });
        const byId = Object.fromEntries(states.map(s => [s.id, s]));
        expect(byId.github).toMatchObject({
          status: 'error',
          message:
            'Refreshing github failed and the outcome could not be stored; the backend log has the details',
        });
        expect(byId.pagerduty.status).toBe('ok');
      } finally {
        spy.mockRestore();
      }
    });

    it("checks a source's configuration once per entity read, for a few seconds, not on every request", async () => {
      const github = new FakeSource('github');
      let checks = 0;
      github.configurationProblem = () => {
        checks += 1;
        return github.configured ? undefined : 'No GitHub token';
      };
      let now = Date.now();
      const { engine } = makeEngine(knex, [github], { clock: () => now });
      const from = now - HOUR;
      await engine.ensure(payments, REF, from, { waitMs: 5000 });
      for (let i = 0; i < 5; i++)
        await engine.ensure(payments, REF, from, { waitMs: 5000 });
      expect(checks).toBe(1);
      // Another read of the entity (a new object) is checked again.
      await engine.ensure({ ...payments }, REF, from, { waitMs: 5000 });
      expect(checks).toBe(2);
      // And the same object once the few seconds are over: a changed configuration shows.
      github.configured = false;
      now += 5_000;
      const [state] = await engine.ensure(payments, REF, from, {
        waitMs: 5000,
      });
      expect(checks).toBe(3);
      expect(state.status).toBe('not-configured');
    });

    it('reports an unconfigured source as not-configured without calling it', async () => {
      const github = new FakeSource('github');
      github.configured = false;
      const { engine } = makeEngine(knex, [github]);
      const [state] = await engine.ensure(payments, REF, Date.now() - HOUR, {
        waitMs: 1000,
      });
      expect(state).toEqual({
        id: 'github',
        title: 'github',
        entityRef: REF,
        status: 'not-configured',
        message: 'No github credentials in app-config',
      });
      expect(github.calls).toHaveLength(0);
    });

    it('drops malformed events and forces entity, source and safe links on the rest', async () => {
      const github = new FakeSource('github');
      const now = Date.now();
      const good = deploy('github:good', new Date(now - HOUR).toISOString());
      github.events = [
        { ...good, url: SCRIPT_URL, source: 'spoofed' },
        { ...good, id: 'github:bad-time', startTime: 'yesterday' },
        { ...good, id: 'github:bad-kind', kind: 'explosion' as any },
      ];
      const { engine, events } = makeEngine(knex, [github]);
      await engine.ensure(payments, REF, now - 2 * HOUR, { waitMs: 5000 });
      const stored = await events.query({
        entityRefs: [REF],
        fromMs: 0,
        toMs: now + 1,
      });
      const { url: _dropped, ...expected } = good;
      expect(stored).toEqual([expected]);
    });

    it("lets a source read the other sources' stored events of the entity, bounded, never its own", async () => {
      const now = Date.now();
      const pagerduty = new FakeSource('pagerduty');
      pagerduty.events = Array.from({ length: 250 }, (_, i) => ({
        ...deploy(`pagerduty:i${i}`, new Date(now - HOUR + i).toISOString()),
        source: 'pagerduty',
        kind: 'incident' as const,
      }));
      const seen: DashEvent[][] = [];
      class ReadingSource extends FakeSource {
        async fetchEvents(
          request: Parameters<FakeSource['fetchEvents']>[0],
          context: Parameters<FakeSource['fetchEvents']>[1],
        ) {
          const window = { from: new Date(now - 2 * HOUR), to: new Date(now) };
          seen.push(
            await context.readStoredEvents!({ ...window, limit: 1000 }),
            await context.readStoredEvents!({
              ...window,
              sources: ['pagerduty'],
              kinds: ['deploy'],
            }),
            await context.readStoredEvents!({
              ...window,
              sources: ['slack'],
              limit: 5,
            }),
          );
          return super.fetchEvents(request, context);
        }
      }
      const slack = new ReadingSource('slack');
      slack.events = [
        {
          ...deploy('slack:m1', new Date(now - HOUR).toISOString()),
          source: 'slack',
        },
      ];
      const { engine } = makeEngine(knex, [pagerduty, slack]);
      const entityBoth = entity('payments-api', {
        'test/pagerduty': 'PPAYAPI',
        'test/slack': 'C1',
      });
      await engine.ensure(entityBoth, REF, now - 2 * HOUR, { waitMs: 5000 }, [
        'pagerduty',
      ]);
      await engine.ensure(entityBoth, REF, now - 2 * HOUR, { waitMs: 5000 }, [
        'slack',
      ]);
      // Capped at 200, the newest kept, oldest first.
      expect(seen[0]).toHaveLength(200);
      expect(seen[0][0].id).toBe('pagerduty:i50');
      expect(seen[0][199].id).toBe('pagerduty:i249');
      expect(seen[1]).toEqual([]);
      expect(seen[2]).toEqual([]);
      // A second refresh of slack still does not see its own stored message.
      await engine.ensure(entityBoth, REF, now - 4 * HOUR, { waitMs: 5000 }, [
        'slack',
      ]);
      expect(seen[3].some(e => e.source === 'slack')).toBe(false);
      // Its own message is left out before the cap, so it takes none of the 200 places.
      expect(seen[3]).toHaveLength(200);
    });

    it('pre-warms stale feeds within the budget and leaves fresh ones alone', async () => {
      const github = new FakeSource('github');
      const { engine } = makeEngine(knex, [github]);
      const ledger = entity('ledger', { 'test/github': 'acme/ledger' });
      const none = entity('docs', {});
      const refreshed = await engine.prewarm(
        [
          { entity: payments, entityRef: REF },
          { entity: ledger, entityRef: 'component:default/ledger' },
          { entity: none, entityRef: 'component:default/docs' },
        ],
        {
          windowMs: 24 * HOUR,
          concurrency: 2,
          deadlineMs: Date.now() + 10_000,
        },
      );
      expect(refreshed).toBe(2);
      expect(github.calls.map(c => c.entityRef).sort()).toEqual([
        'component:default/ledger',
        REF,
      ]);
      const again = await engine.prewarm(
        [{ entity: payments, entityRef: REF }],
        {
          windowMs: 24 * HOUR,
          concurrency: 2,
          deadlineMs: Date.now() + 10_000,
        },
      );
      expect(again).toBe(0);
    });

    it('paced, waits for spare budget instead of skipping, spending the refill rate and keeping half the bucket', async () => {
      const github = new FakeSource('github');
      const pagerduty = new FakeSource('pagerduty');
      let now = Date.now();
      const slept: number[] = [];
      const { engine, guards } = makeEngine(knex, [github, pagerduty], {
        clock: () => now,
        // The clock moves only when the engine waits.
        sleep: async ms => {
          slept.push(ms);
          now += ms;
        },
        // 60 a minute: a bucket of 10, of which pre-warming leaves 5.
        requestsPerMinute: { github: 60 },
      });
      const list = Array.from({ length: 12 }, (_, i) => {
        const e = entity(`svc-${i}`, {
          'test/github': `acme/svc-${i}`,
          'test/pagerduty': `P${i}`,
        });
        return { entity: e, entityRef: `component:default/svc-${i}` };
      });
      const startMs = now;
      const options = {
        windowMs: HOUR,
        concurrency: 1,
        deadlineMs: now + HOUR,
      };

      // Not paced: 6 GitHub feeds while the bucket holds 5 or more, then skips; PagerDuty,
      // without a budget, is not held up by GitHub.
      expect(await engine.prewarm(list, options)).toBe(6 + 12);
      expect(github.calls).toHaveLength(6);
      expect(pagerduty.calls).toHaveLength(12);
      expect(slept).toEqual([]);

      // Paced: the other 6 wait for budget, one token (1 s at 60 a minute) each.
      expect(await engine.prewarm(list, { ...options, paced: true })).toBe(6);
      expect(github.calls).toHaveLength(12);
      expect(now - startMs).toBe(6000);
      // What is left is just under half the bucket: one token short.
      expect(guards.get('github')!.spareBudgetInMs()).toBe(1000);

      // Paced, but the deadline comes before the budget: the feed is left for the next run.
      const more = [
        ...list,
        {
          entity: entity('svc-x', { 'test/github': 'acme/svc-x' }),
          entityRef: 'component:default/svc-x',
        },
      ];
      await guards.get('github')!.call(async () => 'a user request');
      expect(
        await engine.prewarm(more, {
          ...options,
          paced: true,
          deadlineMs: now + 500,
        }),
      ).toBe(0);
      expect(github.calls).toHaveLength(12);
    });
  },
);
