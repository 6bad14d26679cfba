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
import dashModuleGithub from './index';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const PAYMENTS = 'component:default/payments-api';
const HOUR = 3600_000;

/** The demo catalog's components, as the demo backend reads them. */
function demoEntities(): Entity[] {
  const file = path.resolve(__dirname, '../../../catalog-info/components.yaml');
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJSON() as Entity)
    .filter(e => e?.kind === 'Component');
}

describe.each(databases.eachSupportedId())(
  'GitHub module in the DASH backend on %p',
  databaseId => {
    const sb = useTestSandbox({ scenario: 'demo', resetFaults: ['github'] });
    let server: any;

    async function start() {
      const backend = await startDashTestBackend({
        plugin: dashPlugin,
        features: [dashModuleGithub],
        entities: demoEntities(),
        databases,
        databaseId,
        config: {
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: sb.urls.github,
                token: sb.tokens.github,
              },
            ],
          },
        },
      });
      server = backend.server;
    }

    async function timeline(): Promise<{
      events: DashEvent[];
      github: DashSourceState;
    }> {
      const res = await request(server)
        .get('/api/dash/timeline')
        .query({
          entityRef: PAYMENTS,
          from: new Date(Date.now() - 6 * HOUR).toISOString(),
        });
      expect(res.status).toBe(200);
      return {
        events: res.body.events.filter((e: DashEvent) => e.source === 'github'),
        github: res.body.sources.find(
          (s: DashSourceState) => s.id === 'github',
        ),
      };
    }

    async function refresh(): Promise<DashSourceState> {
      const res = await request(server)
        .post('/api/dash/refresh')
        .send({ entityRef: PAYMENTS, sources: ['github'] });
      expect(res.status).toBe(200);
      return res.body.sources[0];
    }

    async function breakWith(fault: FaultSpec) {
      await start();
      const before = await timeline();
      expect(before.github.status).toBe('ok');
      expect(before.events.length).toBeGreaterThan(5);
      sb.setFaults('github', fault);
      sb.resetCounters();
      const state = await refresh();
      const after = await timeline();
      // Old events stay visible whatever went wrong.
      expect(after.events.map(e => e.id).sort()).toEqual(
        before.events.map(e => e.id).sort(),
      );
      return state;
    }

    it('puts the payments story on the timeline with GitHub links, then refreshes with free 304s', async () => {
      await start();
      const { events, github } = await timeline();
      expect(github).toMatchObject({ status: 'ok', title: 'GitHub' });
      const story = sb.scenario.stories.find(
        s => s.id === 'payments-bad-deploy',
      )!;
      const cause = events.find(
        e => e.id === `github:acme/payments-api:deployment:${story.cause!.id}`,
      );
      expect(cause).toMatchObject({
        kind: 'deploy',
        status: 'success',
        url: 'https://github.com/acme/payments-api/deployments/production',
        attributes: expect.objectContaining({
          environment: 'production',
          version: 'v2.14.0',
        }),
      });
      const kinds = new Set(events.map(e => e.kind));
      expect([...kinds].sort()).toEqual(
        ['commit', 'deploy', 'pull-request', 'release', 'workflow-run'].sort(),
      );
      expect(
        events.some(e => e.kind === 'deploy' && e.attributes.rollback === true),
      ).toBe(true);
      for (const e of events)
        expect(e.url).toMatch(/^https:\/\/github\.com\/acme\/payments-api\//);

      // The deploys route reads the same store.
      const deploys = await request(server)
        .get('/api/dash/deploys')
        .query({
          entityRef: PAYMENTS,
          from: new Date(Date.now() - 6 * HOUR).toISOString(),
        });
      expect(deploys.body.deploys.map((d: DashEvent) => d.id)).toContain(
        cause!.id,
      );

      sb.resetCounters();
      expect(await refresh()).toMatchObject({ status: 'ok' });
      const log = sb.requests({ upstream: 'github' });
      expect(log.length).toBeGreaterThan(0);
      expect(log.map(r => `${r.route} ${r.status}`)).toEqual(
        log.map(r => `${r.route} 304`),
      );
      expect((await timeline()).events.length).toBe(events.length);
    });

    it('says unauthorized when GitHub refuses the token', async () => {
      const state = await breakWith({ unauthorized: true });
      expect(state).toMatchObject({
        status: 'unauthorized',
        message: expect.stringMatching(/refused the credentials/),
      });
    });

    it('says rate-limited, and the guard pauses GitHub calls until Retry-After', async () => {
      const state = await breakWith({
        rateLimit: { status: 403, retryAfterSec: 120 },
      });
      expect(state.status).toBe('rate-limited');
      const retryAfter = Date.parse(state.retryAfter!);
      expect(retryAfter).toBeGreaterThan(Date.now() + 100_000);
      expect(retryAfter).toBeLessThanOrEqual(Date.now() + 121_000);
      sb.setFaults('github', undefined);
      sb.resetCounters();
      expect((await refresh()).status).toBe('rate-limited');
      expect(sb.requests({ upstream: 'github' })).toEqual([]);
    });

    it('says error on garbled answers and keeps the old events', async () => {
      const state = await breakWith({ malformedRate: 1 });
      expect(state).toMatchObject({ status: 'error' });
    });

    it('says timed-out when GitHub hangs', async () => {
      const state = await breakWith({ hangRate: 1 });
      expect(state).toMatchObject({ status: 'timed-out' });
    });
  },
);
