import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// The whole path needs the plugin this module extends.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import dashPlugin from '@dash-suite/plugin-dash-backend';
// Incident channels come from the PagerDuty source's stored incidents.
import dashModulePagerDuty from '@dash-suite/plugin-dash-backend-module-pagerduty';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  DashTestConfig,
  startDashTestBackend,
} from '@dash-suite/plugin-dash-node/testUtils';
import {
  Sandbox,
  serviceEntity as entityOf,
  useTestSandbox,
} from '@dash-suite/upstream-sandbox';
import request from 'supertest';
import dashModuleSlack from './index';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const PAYMENTS = 'component:default/payments-api';
const CART = 'component:default/cart-service';
const HOUR = 3600_000;

describe.each(databases.eachSupportedId())(
  'DASH with the Slack module on %p',
  databaseId => {
    const now = Date.now();
    const sandbox = useTestSandbox({
      scenario: 'demo',
      seed: 42,
      now,
      resetFaults: ['slack'],
      rateLimits: { slackTier2PerMinute: 1000 },
    });

    async function start(slack: DashTestConfig | undefined) {
      const { server } = await startDashTestBackend({
        plugin: dashPlugin,
        features: [
          dashModulePagerDuty,
          dashModuleSlack,
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        ],
        entities: sandbox.scenario.services.map(entityOf),
        databases,
        databaseId,
        guard: { timeoutMs: 1000, breakerThreshold: 100 },
        sources: {
          pagerduty: {
            apiBaseUrl: sandbox.urls.pagerduty,
            token: sandbox.tokens.pagerduty,
            guard: { requestsPerMinute: 900 },
          },
          ...(slack ? { slack } : {}),
        },
      });
      return server;
    }

    const configured = (over: DashTestConfig = {}): DashTestConfig => ({
      baseUrl: `${sandbox.urls.slack}/api`,
      token: sandbox.tokens.slack,
      ...over,
    });
    const timeline = (server: any, entityRef = PAYMENTS, hours = 6) =>
      request(server)
        .get('/api/dash/timeline')
        .query({
          entityRef,
          from: new Date(now - hours * HOUR).toISOString(),
          to: new Date(Date.now()).toISOString(),
        });
    const refresh = (server: any, entityRef = PAYMENTS) =>
      request(server)
        .post('/api/dash/refresh')
        .send({ entityRef, sources: ['slack'] });
    const state = (body: any) =>
      body.sources.find((s: { id: string }) => s.id === 'slack');
    const slackEvents = (body: any): DashEvent[] =>
      body.events.filter((e: DashEvent) => e.source === 'slack');
    /** Waits (at most 10 s) until the timeline says PagerDuty's first fetch is stored. */
    async function pagerDutyStored(server: any, entityRef = PAYMENTS) {
      for (let i = 0; i < 50; i++) {
        const body = (await timeline(server, entityRef, 12)).body;
        const pd = body.sources.find(
          (s: { id: string }) => s.id === 'pagerduty',
        );
        if (pd?.status === 'ok') return;
        await new Promise(r => setTimeout(r, 200));
      }
      throw new Error('PagerDuty never became ok on the timeline');
    }
    const requests = (method: string) =>
      sandbox
        .requests({ upstream: 'slack' })
        .filter(r => r.path === `/api/${method}`);

    it('shows the payments story (flagged, pinned, incident channel) with author, permalink and plain text, paging the history', async () => {
      const server = await start(configured({ pageSize: 2 }));
      sandbox.resetCounters();
      const first = await timeline(server);
      expect(first.status).toBe(200);
      expect(state(first.body)).toMatchObject({ status: 'ok' });
      // Once PagerDuty's incidents are stored (its first fetch may still run under load), the
      // next Slack refresh finds their channels.
      await pagerDutyStored(server);
      expect((await refresh(server)).body.sources[0].status).toBe('ok');
      const res = await timeline(server);
      const events = slackEvents(res.body);
      expect(events.every(e => e.kind === 'message')).toBe(true);

      const alarm = events.find(e =>
        e.title.startsWith(':rotating_light: 5xx rate on POST /v1/payments'),
      )!;
      expect(alarm).toMatchObject({
        severity: 'info',
        entityRef: PAYMENTS,
        status: 'flagged',
        actor: { name: expect.stringMatching(/^[A-Z][a-z]+ [A-Z]/) },
        url: expect.stringMatching(
          /^https:\/\/acme\.slack\.com\/archives\/C[A-Z0-9]+\/p\d{16}$/,
        ),
        attributes: {
          pinned: false,
          replyCount: 2,
          reactions: [expect.objectContaining({ name: 'rotating_light' })],
          latestReplyAt: expect.any(String),
        },
      });
      expect(alarm.title.length).toBeLessThanOrEqual(140);
      const text = alarm.attributes.text as string;
      expect(text).toContain(
        'the overview dashboard (https://grafana.acme.example/d/payments-overview)',
      );
      expect(text).toContain('@here');
      // The mention is resolved to the person's name, not left as <@U…>.
      expect(text).not.toMatch(/<@U/);
      expect(text).toMatch(/@[A-Z][a-z]+ [A-Z][a-z]+$/);

      const rollback = events.find(e =>
        e.title.startsWith('Rolling back v2.14.0'),
      )!;
      expect(rollback).toMatchObject({
        status: 'pinned',
        attributes: {
          pinned: true,
          incidentChannel: true,
          incidentNumber: 1001,
        },
        url: expect.stringContaining('https://acme.slack.com/archives/'),
      });
      // Neither unflagged messages nor thread replies are mirrored.
      expect(
        events.some(e => e.title.startsWith('Deploying payments-api')),
      ).toBe(false);
      expect(events.some(e => e.title.startsWith('Seeing `vault'))).toBe(false);
      // Paged (2 messages a page): one refresh asks for more history pages than it reads
      // channels (one pins.list each), and still finds what one big page finds.
      sandbox.resetCounters();
      expect((await refresh(server)).body.sources[0].status).toBe('ok');
      expect(requests('pins.list')).toHaveLength(2);
      expect(requests('conversations.history').length).toBeGreaterThan(2);
      // Messages are never evidence for the correlator.
      const correlated = res.body.correlations.flatMap((c: any) => [
        c.eventId,
        ...c.candidates.map((k: any) => k.eventId),
        ...c.afterOnset.map((k: any) => k.eventId),
      ]);
      expect(events.some(e => correlated.includes(e.id))).toBe(false);
    });

    it('finds an unlinked incident channel by its name and lists channels once', async () => {
      const server = await start(
        configured({ incidentChannels: { namePattern: 'inc-{number}-*' } }),
      );
      sandbox.resetCounters();
      // The first fetch may run before PagerDuty's incidents are stored; the refresh after it
      // finds the channel.
      await timeline(server, CART, 12);
      await pagerDutyStored(server, CART);
      await refresh(server, CART);
      const res = await timeline(server, CART, 12);
      const cause = slackEvents(res.body).find(e =>
        e.title.startsWith('Cause: inventory-service DB pool'),
      );
      expect(cause).toMatchObject({
        status: 'pinned',
        attributes: {
          channelName: 'inc-1002-cart-service',
          incidentNumber: 1002,
        },
      });
      expect(requests('conversations.list').length).toBeGreaterThanOrEqual(1);
      sandbox.resetCounters();
      await refresh(server, CART);
      expect(requests('conversations.list')).toEqual([]);
      expect(requests('pins.list').length).toBeGreaterThanOrEqual(2);
    });

    it('caps the history read per channel', async () => {
      // Pages of 1 message and at most 2 messages a channel: 2 history requests per channel,
      // where the incident channel alone has 4 top-level messages in the window.
      const server = await start(
        configured({ maxMessagesPerChannel: 2, pageSize: 1 }),
      );
      await timeline(server);
      await pagerDutyStored(server);
      await refresh(server);
      sandbox.resetCounters();
      const refreshed = await refresh(server);
      expect(refreshed.body.sources[0].status).toBe('ok');
      const pins = requests('pins.list');
      expect(pins).toHaveLength(2);
      expect(requests('conversations.history')).toHaveLength(2 * pins.length);
      // The pinned rollback still shows (pins are read apart from the capped history).
      const events = slackEvents((await timeline(server)).body);
      expect(events.some(e => e.title.startsWith('Rolling back v2.14.0'))).toBe(
        true,
      );
    });

    it('reports a bad token, a 429 with Retry-After, malformed answers and hangs, keeping old events', async () => {
      const bad = await start(configured({ token: 'xoxb-not-the-token' }));
      const refused = await timeline(bad);
      expect(state(refused.body)).toMatchObject({
        status: 'unauthorized',
        message: expect.stringContaining('invalid_auth'),
      });

      const server = await start(configured());
      const count = slackEvents((await timeline(server)).body).length;
      expect(count).toBeGreaterThan(0);
      const faults: Array<[Parameters<Sandbox['setFaults']>[1], string]> = [
        [{ unauthorized: true }, 'unauthorized'],
        [{ malformedRate: 1 }, 'error'],
        [{ hangRate: 1 }, 'timed-out'],
      ];
      for (const [fault, status] of faults) {
        sandbox.setFaults('slack', fault);
        const refreshed = await refresh(server);
        expect({ fault, state: refreshed.body.sources[0] }).toMatchObject({
          fault,
          state: { id: 'slack', status },
        });
        expect(slackEvents((await timeline(server)).body).length).toBe(count);
      }
      sandbox.setFaults('slack', {
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
      sandbox.setFaults('slack', undefined);
      expect((await refresh(server)).body.sources[0].status).toBe(
        'rate-limited',
      );
      expect(sandbox.requests({ upstream: 'slack' })).toEqual([]);
    });

    it('reports a missing token as not configured, without calling Slack', async () => {
      const server = await start(undefined);
      sandbox.resetCounters();
      const res = await timeline(server);
      expect(state(res.body)).toEqual({
        id: 'slack',
        title: 'Slack',
        entityRef: PAYMENTS,
        status: 'not-configured',
        message: 'Slack is not configured: dash.sources.slack.token is missing',
      });
      expect(sandbox.requests({ upstream: 'slack' })).toEqual([]);
    });
  },
);
