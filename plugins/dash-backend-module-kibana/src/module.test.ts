import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
// The module is tested inside the plugin it extends.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import dashPlugin from '@dash-suite/plugin-dash-backend';
import { DashEvent, DashSourceState } from '@dash-suite/plugin-dash-common';
import { startDashTestBackend } from '@dash-suite/plugin-dash-node/testUtils';
import { FaultSpec, useTestSandbox } from '@dash-suite/upstream-sandbox';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import dashModuleKibana from './index';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const PAYMENTS = 'component:default/payments-api';
const HOUR = 3600_000;
const UI = 'https://kibana.acme.example';

/** The demo catalog's components, as the demo backend reads them. */
function demoEntities(): Entity[] {
  const file = path.resolve(__dirname, '../../../catalog-info/components.yaml');
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJSON() as Entity)
    .filter(e => e?.kind === 'Component');
}

describe.each(databases.eachSupportedId())(
  'Kibana module in the DASH backend on %p',
  databaseId => {
    const sb = useTestSandbox({
      scenario: 'demo',
      resetFaults: ['elasticsearch', 'kibana'],
    });
    let server: any;

    async function start() {
      const backend = await startDashTestBackend({
        plugin: dashPlugin,
        features: [dashModuleKibana],
        entities: demoEntities(),
        databases,
        databaseId,
        sources: {
          kibana: {
            elasticsearch: {
              node: sb.urls.elasticsearch,
              apiKey: sb.tokens.elasticsearch,
            },
            kibana: {
              baseUrl: sb.urls.kibana,
              apiKey: sb.tokens.kibana,
              uiBaseUrl: UI,
            },
          },
        },
      });
      server = backend.server;
    }

    async function timeline(): Promise<{
      events: DashEvent[];
      kibana: DashSourceState;
    }> {
      const res = await request(server)
        .get('/api/dash/timeline')
        .query({
          entityRef: PAYMENTS,
          from: new Date(Date.now() - 6 * HOUR).toISOString(),
        });
      expect(res.status).toBe(200);
      return {
        events: res.body.events.filter((e: DashEvent) => e.source === 'kibana'),
        kibana: res.body.sources.find(
          (s: DashSourceState) => s.id === 'kibana',
        ),
      };
    }

    async function refresh(): Promise<DashSourceState> {
      const res = await request(server)
        .post('/api/dash/refresh')
        .send({ entityRef: PAYMENTS, sources: ['kibana'] });
      expect(res.status).toBe(200);
      return res.body.sources[0];
    }

    async function breakWith(
      upstream: 'elasticsearch' | 'kibana',
      fault: FaultSpec,
    ) {
      await start();
      const before = await timeline();
      expect(before.kibana.status).toBe('ok');
      expect(before.events.length).toBeGreaterThan(1);
      sb.setFaults(upstream, fault);
      sb.resetCounters();
      const state = await refresh();
      const after = await timeline();
      // Old events stay visible whatever went wrong.
      expect(after.events.map(e => e.id).sort()).toEqual(
        before.events.map(e => e.id).sort(),
      );
      return state;
    }

    it('puts the payments error spike and the Kibana alert on the timeline, with Discover and rule links', async () => {
      await start();
      const { events, kibana } = await timeline();
      expect(kibana).toMatchObject({ status: 'ok', title: 'Kibana' });

      const story = sb.scenario.stories.find(
        s => s.id === 'payments-bad-deploy',
      )!;
      const spike = events.find(e => e.kind === 'log-spike');
      expect(spike).toBeDefined();
      expect(
        Math.abs(Date.parse(spike!.startTime) - story.errorSpikes[0].from),
      ).toBeLessThan(5 * 60_000);
      expect(spike!.url).toMatch(
        /^https:\/\/kibana\.acme\.example\/app\/discover#\/\?_g=\(time:\(from:'/,
      );
      const alert = events.find(e => e.kind === 'alert');
      expect(alert).toMatchObject({
        status: 'recovered',
        url: expect.stringMatching(
          /^https:\/\/kibana\.acme\.example\/app\/management\/insightsAndAlerting\/triggersActions\/rule\//,
        ),
      });

      // Nothing fires now; the alerts route asks Kibana and says so.
      const alerts = await request(server)
        .get('/api/dash/alerts')
        .query({ entityRef: PAYMENTS });
      expect(alerts.status).toBe(200);
      expect(alerts.body.alerts).toEqual([]);
      expect(alerts.body.sources).toEqual([
        expect.objectContaining({ id: 'kibana', status: 'ok' }),
      ]);

      // A refresh maps the same spike and alert onto the same events.
      expect(await refresh()).toMatchObject({ status: 'ok' });
      const again = await timeline();
      expect(again.events.map(e => e.id).sort()).toEqual(
        events.map(e => e.id).sort(),
      );
    });

    it('says unauthorized when Elasticsearch refuses the key', async () => {
      const state = await breakWith('elasticsearch', { unauthorized: true });
      expect(state).toMatchObject({
        status: 'unauthorized',
        message: expect.stringMatching(/refused the credentials/),
      });
    });

    it('says rate-limited, and the guard pauses until Retry-After', async () => {
      const state = await breakWith('kibana', {
        rateLimit: { retryAfterSec: 120 },
      });
      expect(state.status).toBe('rate-limited');
      const retryAfter = Date.parse(state.retryAfter!);
      expect(retryAfter).toBeGreaterThan(Date.now() + 100_000);
      expect(retryAfter).toBeLessThanOrEqual(Date.now() + 121_000);
      sb.setFaults('kibana', undefined);
      sb.resetCounters();
      expect((await refresh()).status).toBe('rate-limited');
      expect(sb.requests({ upstream: 'elasticsearch' })).toEqual([]);
      expect(sb.requests({ upstream: 'kibana' })).toEqual([]);
    });

    it('says error on garbled answers and keeps the old events', async () => {
      const state = await breakWith('elasticsearch', { malformedRate: 1 });
      expect(state).toMatchObject({ status: 'error' });
    });

    it('says timed-out when Elasticsearch hangs', async () => {
      const state = await breakWith('elasticsearch', { hangRate: 1 });
      expect(state).toMatchObject({ status: 'timed-out' });
    });
  },
);
