/*
 * Issue 12, finding 9, end to end: one reader asking for a far-past window must not switch a
 * source off for everyone. The DASH backend with all four source modules against the upstream
 * sandbox, whose PagerDuty answers 400 ("the date range may span at most 180 days") like the
 * real one, on SQLite and PostgreSQL.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { DashTimelineResponse } from '@dash-suite/plugin-dash-common';
import { Sandbox, startSandbox } from '@dash-suite/upstream-sandbox';
import request from 'supertest';
import { startDashDemoBackend } from './__testUtils__/dashDemoBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const DAY = 24 * 3600_000;

describe.each(databases.eachSupportedId())(
  'far-past windows on %p',
  databaseId => {
    let sandbox: Sandbox;
    let server: any;

    beforeAll(async () => {
      sandbox = await startSandbox({ scenario: 'demo', seed: 42 });
      const knex = await databases.init(databaseId);
      const backend = await startDashDemoBackend({
        sandbox,
        knex,
        dash: {
          // Longer than PagerDuty's 180 days, so that a window can reach past them.
          retentionDays: 400,
          refresh: { maxWaitMs: 60_000, prewarm: { enabled: false } },
          // A sensitive breaker: two faults in a row open it.
          guard: { breakerThreshold: 2, retries: 0 },
        },
      });
      server = backend.server;
    });

    afterAll(async () => {
      await sandbox?.stop();
    });

    async function timeline(
      entityRef: string,
      from: string,
      to: string,
    ): Promise<DashTimelineResponse> {
      const res = await request(server)
        .get('/api/dash/timeline')
        .query({ entityRef, from, to });
      expect(res.status).toBe(200);
      return res.body;
    }
    const statuses = (t: DashTimelineResponse) =>
      Object.fromEntries(t.sources.map(s => [s.id, s.status]));

    it('answers a window from 1970 from the store, without any upstream call', async () => {
      sandbox.resetCounters();
      const started = Date.now();
      const t = await timeline(
        'component:default/cart-service',
        '1970-01-01T00:00:00Z',
        '1970-01-31T00:00:00Z',
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect(sandbox.requests()).toEqual([]);
      expect(statuses(t)).toEqual({
        github: 'ok',
        grafana: 'ok',
        kibana: 'ok',
        pagerduty: 'ok',
      });
      expect(t.events).toEqual([]);
    });

    it('reads a window past 180 days in ranges PagerDuty accepts, and PagerDuty stays on for everyone', async () => {
      sandbox.resetCounters();
      const now = Date.now();
      const t = await timeline(
        'component:default/cart-service',
        new Date(now - 390 * DAY).toISOString(),
        new Date(now - 365 * DAY).toISOString(),
      );
      expect(statuses(t).pagerduty).toBe('ok');
      const pagerduty = sandbox.requests({ upstream: 'pagerduty' });
      expect(
        pagerduty.filter(r => r.route === 'GET /incidents').length,
      ).toBeGreaterThanOrEqual(3);
      expect(pagerduty.filter(r => r.status >= 400)).toEqual([]);

      // Another reader, another entity: PagerDuty answers as usual (the circuit is closed).
      const other = await timeline(
        'component:default/payments-api',
        new Date(now - DAY).toISOString(),
        new Date(now).toISOString(),
      );
      expect(statuses(other).pagerduty).toBe('ok');
    });
  },
);
