import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// The whole path needs the plugin this module extends.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import dashPlugin from '@dash-suite/plugin-dash-backend';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  DashTestConfig as JsonObject,
  startDashTestBackend,
} from '@dash-suite/plugin-dash-node/testUtils';
import {
  Sandbox,
  serviceEntity as entityOf,
  useTestSandbox,
} from '@dash-suite/upstream-sandbox';
import request from 'supertest';
import dashModuleKubernetes from './index';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const PAYMENTS = 'component:default/payments-api';
const HOUR = 3600_000;

describe.each(databases.eachSupportedId())(
  'DASH with the Kubernetes module on %p',
  databaseId => {
    const now = Date.now();
    const sandbox = useTestSandbox({
      scenario: 'demo',
      seed: 42,
      now,
      resetFaults: ['kubernetes'],
    });

    const cluster = (name: string, url: string): JsonObject => ({
      name,
      url,
      authProvider: 'serviceAccount',
      serviceAccountToken: sandbox.tokens.kubernetes,
      // The sandbox speaks plain http, which the client allows only without TLS verification.
      skipTLSVerify: true,
    });

    async function start(clusters: JsonObject[], dash: JsonObject = {}) {
      const { server } = await startDashTestBackend({
        plugin: dashPlugin,
        features: [
          dashModuleKubernetes,
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        ],
        entities: sandbox.scenario.services.map(entityOf),
        databases,
        databaseId,
        guard: { timeoutMs: 1000, breakerThreshold: 100 },
        sources: { kubernetes: { pageSize: 3, ...dash } },
        config: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [{ type: 'config', clusters }],
          },
        },
      });
      return server;
    }

    const timeline = (server: any) =>
      request(server)
        .get('/api/dash/timeline')
        .query({
          entityRef: PAYMENTS,
          from: new Date(now - 6 * HOUR).toISOString(),
          to: new Date(Date.now()).toISOString(),
        });
    const refresh = (server: any) =>
      request(server)
        .post('/api/dash/refresh')
        .send({ entityRef: PAYMENTS, sources: ['kubernetes'] });
    const state = (body: any) =>
      body.sources.find((s: { id: string }) => s.id === 'kubernetes');

    /** The OOM kills the sandbox's cluster reports for payments-api, from its own API. */
    async function oomKillsInCluster() {
      const res = await fetch(`${sandbox.urls.kubernetes}/api/v1/events`, {
        headers: { authorization: `Bearer ${sandbox.tokens.kubernetes}` },
      });
      const items: any[] = (await res.json()).items;
      const oom = items.filter(
        e =>
          e.reason === 'OOMKilling' &&
          e.involvedObject.name.startsWith('payments-api-'),
      );
      return {
        count: oom.reduce((n, e) => n + e.count, 0),
        pods: new Set(oom.map(e => e.involvedObject.name)).size,
        first: Math.min(...oom.map(e => Date.parse(e.firstTimestamp))),
      };
    }

    it('shows the payments rollouts with their versions, the rollback and the OOM kills as one range, reading pods page by page', async () => {
      const server = await start([cluster('prod-eu', sandbox.urls.kubernetes)]);
      const story = sandbox.scenario.stories.find(
        s => s.id === 'payments-bad-deploy',
      )!;
      const previous = /Roll back to (\S+)/.exec(
        story.decoys.map(d => d.summary).join(' '),
      )![1];
      sandbox.resetCounters();

      const res = await timeline(server);
      expect(res.status).toBe(200);
      expect(state(res.body)).toMatchObject({ status: 'ok' });
      const events: DashEvent[] = res.body.events.filter(
        (e: DashEvent) => e.source === 'kubernetes',
      );
      const bad = events.find(
        e => e.kind === 'deploy' && e.attributes.version === 'v2.14.0',
      )!;
      expect(bad).toMatchObject({
        entityRef: PAYMENTS,
        status: 'complete',
        startTime: new Date(story.cause!.at).toISOString(),
        attributes: {
          cluster: 'prod-eu',
          namespace: 'payments',
          environment: 'production',
          rollback: false,
          image: expect.stringMatching(/\/payments-api:v2\.14\.0$/),
        },
      });
      expect(bad.title).toMatch(
        /^Rollout of payments-api to v2\.14\.0 \(revision \d+\)$/,
      );
      const back = events.find(
        e => e.kind === 'deploy' && e.attributes.rollback === true,
      )!;
      expect(back).toMatchObject({
        title: expect.stringMatching(/^Rollback of payments-api to /),
        severity: 'warning',
        attributes: {
          version: previous,
          changeType: 'rollback',
          previousVersion: 'v2.14.0',
          revision: Number(bad.attributes.revision) + 1,
        },
      });
      expect(Date.parse(back.startTime)).toBeGreaterThan(story.cause!.at);

      const kills = await oomKillsInCluster();
      expect(kills.count).toBeGreaterThan(kills.pods);
      const oom = events.filter(
        e => e.kind === 'pod-trouble' && e.attributes.reason === 'OOMKilled',
      );
      expect(oom).toHaveLength(1);
      expect(oom[0]).toMatchObject({
        title: `OOMKilled: ${kills.count} times in ${kills.pods} pods of payments-api`,
        severity: 'error',
        startTime: new Date(kills.first).toISOString(),
        attributes: {
          count: kills.count,
          pods: kills.pods,
          workload: 'payments-api',
          cluster: 'prod-eu',
        },
      });
      expect(Date.parse(oom[0].endTime!)).toBeLessThan(
        Date.parse(back.startTime),
      );

      // More pods than one page of 3: the pods list took two requests.
      const podRequests = sandbox.requests({
        upstream: 'kubernetes',
        route: 'GET /api/v1/pods',
      });
      expect(podRequests.length).toBeGreaterThanOrEqual(2);
      // Read-only: nothing but list calls reached the cluster.
      expect(
        sandbox
          .requests({ upstream: 'kubernetes' })
          .every(r => r.method === 'GET'),
      ).toBe(true);
    });

    it('keeps its events through every fault and reports each as the source status', async () => {
      const server = await start([cluster('prod-eu', sandbox.urls.kubernetes)]);
      const first = await timeline(server);
      const count = first.body.events.length;
      expect(count).toBeGreaterThan(0);
      const faults: Array<[Parameters<Sandbox['setFaults']>[1], string]> = [
        [{ unauthorized: true }, 'unauthorized'],
        [{ malformedRate: 1 }, 'error'],
        [{ hangRate: 1 }, 'timed-out'],
      ];
      for (const [fault, status] of faults) {
        sandbox.setFaults('kubernetes', fault);
        const refreshed = await refresh(server);
        expect(refreshed.status).toBe(200);
        expect({ fault, state: refreshed.body.sources[0] }).toMatchObject({
          fault,
          state: {
            id: 'kubernetes',
            status,
            message: expect.stringContaining("'prod-eu'"),
          },
        });
        const after = await timeline(server);
        expect(state(after.body).status).toBe(status);
        expect(after.body.events.length).toBe(count);
      }

      sandbox.setFaults('kubernetes', {
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
      // Lists that were already on the wire when the 429 came are aborted; let them land.
      await new Promise(r => setTimeout(r, 300));
      sandbox.resetCounters();
      sandbox.setFaults('kubernetes', undefined);
      const paused = await refresh(server);
      expect(paused.body.sources[0].status).toBe('rate-limited');
      expect(sandbox.requests({ upstream: 'kubernetes' })).toEqual([]);
    });

    it('degrades only itself, and only in part, when a second cluster cannot be reached', async () => {
      const server = await start([
        cluster('prod-eu', sandbox.urls.kubernetes),
        cluster('prod-us', 'http://127.0.0.1:1'),
      ]);
      const res = await timeline(server);
      expect(res.status).toBe(200);
      expect(state(res.body)).toMatchObject({
        status: 'ok',
        message: expect.stringMatching(
          /cluster 'prod-us' failed: Kubernetes cluster 'prod-us' cannot be reached/,
        ),
      });
      expect(
        res.body.events.some(
          (e: DashEvent) =>
            e.source === 'kubernetes' && e.attributes.version === 'v2.14.0',
        ),
      ).toBe(true);

      const alone = await start([cluster('prod-us', 'http://127.0.0.1:1')]);
      const down = await timeline(alone);
      expect(down.status).toBe(200);
      expect(state(down.body)).toMatchObject({
        status: 'error',
        message: expect.stringContaining("Kubernetes cluster 'prod-us'"),
      });
    });

    it('reports missing clusters as not configured, without calling the cluster', async () => {
      const server = await start([]);
      sandbox.resetCounters();
      const res = await timeline(server);
      expect(state(res.body)).toMatchObject({
        status: 'not-configured',
        message: expect.stringContaining('kubernetes.clusterLocatorMethods'),
      });
      expect(sandbox.requests({ upstream: 'kubernetes' })).toEqual([]);
    });
  },
);
