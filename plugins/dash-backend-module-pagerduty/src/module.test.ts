import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
// The whole path needs the plugin this module extends.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import dashPlugin from '@dash-suite/plugin-dash-backend';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { startDashTestBackend } from '@dash-suite/plugin-dash-node/testUtils';
import {
  Sandbox,
  serviceEntity as entityOf,
  useTestSandbox,
} from '@dash-suite/upstream-sandbox';
import request from 'supertest';
import dashModulePagerDuty from './index';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const PAYMENTS = 'component:default/payments-api';
const HOUR = 3600_000;

describe.each(databases.eachSupportedId())(
  'DASH with the PagerDuty module on %p',
  databaseId => {
    const now = Date.now();
    const sandbox = useTestSandbox({
      scenario: 'demo',
      seed: 42,
      now,
      resetFaults: ['pagerduty'],
    });

    async function start(pagerduty: JsonObject | undefined) {
      const { server } = await startDashTestBackend({
        plugin: dashPlugin,
        features: [
          dashModulePagerDuty,
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        ],
        entities: sandbox.scenario.services.map(entityOf),
        databases,
        databaseId,
        guard: { timeoutMs: 1000, breakerThreshold: 100 },
        sources: pagerduty ? { pagerduty } : undefined,
      });
      return server;
    }

    const configured = (): JsonObject => ({
      apiBaseUrl: sandbox.urls.pagerduty,
      token: sandbox.tokens.pagerduty,
      uiBaseUrl: 'https://acme.pagerduty.com',
      guard: { requestsPerMinute: 900 },
    });

    const timeline = (server: any) =>
      request(server)
        .get('/api/dash/timeline')
        .query({
          entityRef: PAYMENTS,
          from: new Date(now - 6 * HOUR).toISOString(),
          to: new Date(now).toISOString(),
        });
    const refresh = (server: any) =>
      request(server)
        .post('/api/dash/refresh')
        .send({ entityRef: PAYMENTS, sources: ['pagerduty'] });
    const state = (body: any) =>
      body.sources.find((s: { id: string }) => s.id === 'pagerduty');

    it('shows the payments story on the timeline, with on-call, and keeps events through every fault', async () => {
      const server = await start(configured());
      const story = sandbox.scenario.stories.find(
        s => s.id === 'payments-bad-deploy',
      )!;

      const res = await timeline(server);
      expect(res.status).toBe(200);
      expect(state(res.body)).toMatchObject({ status: 'ok' });
      const events: DashEvent[] = res.body.events;
      const incident = events.find(
        e => e.id === `pagerduty:incident:${story.incident!.pagerdutyId}`,
      );
      expect(incident).toMatchObject({
        kind: 'incident',
        source: 'pagerduty',
        entityRef: PAYMENTS,
        status: 'resolved',
        url: story.incident!.htmlUrl,
      });
      // Its conference bridge (include[]=conference_bridge) links the incident's Slack channel.
      expect(incident!.attributes).toMatchObject({
        incidentNumber: 1001,
        chatUrl: expect.stringMatching(
          /^https:\/\/acme\.slack\.com\/archives\/C[A-Z0-9]+$/,
        ),
      });
      expect(
        events
          .filter(e => e.attributes.incidentId === story.incident!.pagerdutyId)
          .filter(e => e.kind === 'annotation')
          .map(e => e.attributes.logEntryType),
      ).toEqual(['trigger', 'acknowledge', 'escalate', 'annotate', 'resolve']);
      const changeId = story.causeAlsoSeenAs.find(
        c => c.upstream === 'pagerduty',
      )!.id;
      expect(
        events.find(e => e.id === `pagerduty:change:${changeId}`),
      ).toMatchObject({
        kind: 'change',
        url: expect.stringMatching(/^https:\/\/deployctl\./),
      });
      // The incident gets a correlation; its log entries do not.
      expect(res.body.correlations.map((c: any) => c.eventId)).toEqual([
        incident!.id,
      ]);

      const oncall = await request(server)
        .get('/api/dash/oncall')
        .query({ entityRef: PAYMENTS });
      expect(oncall.status).toBe(200);
      expect(oncall.body.sources).toEqual([
        expect.objectContaining({ id: 'pagerduty', status: 'ok' }),
      ]);
      expect(oncall.body.onCall[0]).toMatchObject({
        source: 'pagerduty',
        escalationLevel: 1,
        user: { email: expect.stringContaining('@') },
      });

      const count = events.length;
      const faults: Array<[Parameters<Sandbox['setFaults']>[1], string]> = [
        [{ unauthorized: true }, 'unauthorized'],
        [{ malformedRate: 1 }, 'error'],
        [{ hangRate: 1 }, 'timed-out'],
      ];
      for (const [fault, status] of faults) {
        sandbox.setFaults('pagerduty', fault);
        const refreshed = await refresh(server);
        expect(refreshed.status).toBe(200);
        expect({ fault, state: refreshed.body.sources[0] }).toMatchObject({
          fault,
          state: { id: 'pagerduty', status },
        });
        // Old events stay visible while the source is failing.
        const after = await timeline(server);
        expect(state(after.body).status).toBe(status);
        expect(after.body.events.length).toBe(count);
      }

      // A 429 storm: rate limited with the upstream's Retry-After, and the guard waits it out
      // without calling PagerDuty again.
      sandbox.setFaults('pagerduty', {
        rateLimit: { rate: 1, retryAfterSec: 120 },
      });
      const limited = await refresh(server);
      expect(limited.body.sources[0]).toMatchObject({
        status: 'rate-limited',
        retryAfter: expect.any(String),
      });
      const wait = Date.parse(limited.body.sources[0].retryAfter) - Date.now();
      expect(wait).toBeGreaterThan(100_000);
      expect(wait).toBeLessThanOrEqual(120_000);
      sandbox.resetCounters();
      sandbox.setFaults('pagerduty', undefined);
      const paused = await refresh(server);
      expect(paused.body.sources[0].status).toBe('rate-limited');
      expect(sandbox.requests({ upstream: 'pagerduty' })).toEqual([]);
      expect((await timeline(server)).body.events.length).toBe(count);
    });

    it('reports a missing token as not configured, without calling PagerDuty', async () => {
      const server = await start(undefined);
      sandbox.resetCounters();
      const res = await timeline(server);
      expect(res.status).toBe(200);
      expect(state(res.body)).toEqual({
        id: 'pagerduty',
        title: 'PagerDuty',
        entityRef: PAYMENTS,
        status: 'not-configured',
        message:
          'PagerDuty is not configured: dash.sources.pagerduty.token is missing',
      });
      expect(sandbox.requests({ upstream: 'pagerduty' })).toEqual([]);
    });
  },
);
