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
import dashModuleGrafana from './index';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const PAYMENTS = 'component:default/payments-api';
const CHECKOUT = 'component:default/checkout-api';
const HOUR = 3600_000;
const UI = 'https://grafana.acme.example';

describe.each(databases.eachSupportedId())(
  'DASH with the Grafana module on %p',
  databaseId => {
    const now = Date.now();
    const sandbox = useTestSandbox({
      scenario: 'demo',
      seed: 42,
      now,
      resetFaults: ['grafana'],
    });

    async function start(grafana: JsonObject | undefined) {
      const { server } = await startDashTestBackend({
        plugin: dashPlugin,
        features: [
          dashModuleGrafana,
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        ],
        entities: sandbox.scenario.services.map(entityOf),
        databases,
        databaseId,
        guard: { timeoutMs: 1000, breakerThreshold: 100 },
        sources: grafana ? { grafana } : undefined,
      });
      return server;
    }

    const configured = (): JsonObject => ({
      baseUrl: sandbox.urls.grafana,
      token: sandbox.tokens.grafana,
      uiBaseUrl: UI,
    });
    const timeline = (server: any, entityRef = PAYMENTS) =>
      request(server)
        .get('/api/dash/timeline')
        .query({
          entityRef,
          from: new Date(now - 6 * HOUR).toISOString(),
          to: new Date(Date.now()).toISOString(),
        });
    const refresh = (server: any) =>
      request(server)
        .post('/api/dash/refresh')
        .send({ entityRef: PAYMENTS, sources: ['grafana'] });
    const state = (body: any) =>
      body.sources.find((s: { id: string }) => s.id === 'grafana');

    it('shows the payments story with the deploy annotation ranked as the alert cause, and keeps events through every fault', async () => {
      const server = await start(configured());
      const story = sandbox.scenario.stories.find(
        s => s.id === 'payments-bad-deploy',
      )!;

      const res = await timeline(server);
      expect(res.status).toBe(200);
      expect(state(res.body)).toMatchObject({ status: 'ok' });
      const events: DashEvent[] = res.body.events;
      const alert = events.find(
        e =>
          e.kind === 'alert' && e.attributes.ruleUid === story.alert!.ruleUid,
      )!;
      expect(alert).toMatchObject({
        source: 'grafana',
        entityRef: PAYMENTS,
        status: 'resolved',
        severity: 'critical',
        url: `${UI}/alerting/grafana/${story.alert!.ruleUid}/view`,
      });
      const deploy = events.find(
        e =>
          e.kind === 'annotation' &&
          e.title === 'Deploy payments-api v2.14.0 to production',
      )!;
      expect(deploy.attributes).toMatchObject({ isChange: true });
      expect(deploy.url).toMatch(new RegExp(`^${UI}/d/`));
      const correlation = res.body.correlations.find(
        (c: any) => c.eventId === alert.id,
      );
      expect(correlation.candidates.map((c: any) => c.eventId)).toContain(
        deploy.id,
      );

      const count = events.length;
      const faults: Array<[Parameters<Sandbox['setFaults']>[1], string]> = [
        [{ unauthorized: true }, 'unauthorized'],
        [{ malformedRate: 1 }, 'error'],
        [{ hangRate: 1 }, 'timed-out'],
      ];
      for (const [fault, status] of faults) {
        sandbox.setFaults('grafana', fault);
        const refreshed = await refresh(server);
        expect(refreshed.status).toBe(200);
        expect({ fault, state: refreshed.body.sources[0] }).toMatchObject({
          fault,
          state: { id: 'grafana', status },
        });
        const after = await timeline(server);
        expect(state(after.body).status).toBe(status);
        expect(after.body.events.length).toBe(count);
      }

      sandbox.setFaults('grafana', {
        rateLimit: { rate: 1, retryAfterSec: 90 },
      });
      const limited = await refresh(server);
      expect(limited.body.sources[0]).toMatchObject({
        status: 'rate-limited',
        retryAfter: expect.any(String),
      });
      const wait = Date.parse(limited.body.sources[0].retryAfter) - Date.now();
      expect(wait).toBeGreaterThan(70_000);
      expect(wait).toBeLessThanOrEqual(90_000);
      sandbox.resetCounters();
      sandbox.setFaults('grafana', undefined);
      const paused = await refresh(server);
      expect(paused.body.sources[0].status).toBe('rate-limited');
      expect(sandbox.requests({ upstream: 'grafana' })).toEqual([]);
      expect((await timeline(server)).body.events.length).toBe(count);
    });

    it('lists the live alert as firing on /alerts and on the timeline', async () => {
      const server = await start(configured());
      const replay = sandbox.replayLive({ stepMs: 300 });
      const alert = replay.story.alert!;
      const wait = alert.firingAt + 50 - Date.now();
      if (wait > 0) await new Promise(r => setTimeout(r, wait));

      const alerts = await request(server)
        .get('/api/dash/alerts')
        .query({ entityRef: CHECKOUT });
      expect(alerts.status).toBe(200);
      expect(alerts.body.sources).toEqual([
        expect.objectContaining({ id: 'grafana', status: 'ok' }),
      ]);
      expect(alerts.body.alerts).toEqual([
        expect.objectContaining({
          source: 'grafana',
          kind: 'alert',
          status: 'firing',
          title: alert.alertName,
          entityRef: CHECKOUT,
          url: `${UI}/alerting/grafana/${alert.ruleUid}/view`,
        }),
      ]);
      const res = await timeline(server, CHECKOUT);
      expect(
        res.body.events.filter(
          (e: DashEvent) =>
            e.kind === 'alert' &&
            e.attributes.ruleUid === alert.ruleUid &&
            e.status === 'firing',
        ),
      ).toHaveLength(1);
    });

    it('reports missing config as not configured, without calling Grafana', async () => {
      const server = await start(undefined);
      sandbox.resetCounters();
      const res = await timeline(server);
      expect(res.status).toBe(200);
      expect(state(res.body)).toEqual({
        id: 'grafana',
        title: 'Grafana',
        entityRef: PAYMENTS,
        status: 'not-configured',
        message:
          'Grafana is not configured: dash.sources.grafana.baseUrl and dash.sources.grafana.token are missing',
      });
      expect(sandbox.requests({ upstream: 'grafana' })).toEqual([]);
    });
  },
);
