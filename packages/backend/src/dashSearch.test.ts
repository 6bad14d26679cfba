/*
 * DASH events in Backstage search: the search backend with the DASH collator module and the
 * DASH backend against the upstream sandbox's demo scenario. The collator reads the events
 * through the DASH backend's service-to-service route; a query for a version finds the deploy,
 * and its location opens the DASH tab at that event.
 */
import {
  SchedulerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleDash from '@dash-suite/plugin-search-backend-module-dash';
import { DashSearchDocumentFields } from '@dash-suite/plugin-dash-common';
import { Sandbox, startSandbox } from '@dash-suite/upstream-sandbox';
import request from 'supertest';
import { startDashDemoBackend } from './__testUtils__/dashDemoBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const PAYMENTS = 'component:default/payments-api';
const HOUR = 3600_000;

describe('DASH events in Backstage search', () => {
  let sandbox: Sandbox;
  let server: any;
  // The search plugin's scheduler, to run the collator when the test is ready for it.
  let scheduler: SchedulerService;
  const schedulerOfSearch = createBackendModule({
    pluginId: 'search',
    moduleId: 'test-scheduler',
    register(reg) {
      reg.registerInit({
        deps: { s: coreServices.scheduler },
        async init({ s }) {
          scheduler = s;
        },
      });
    },
  });

  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'demo', seed: 42 });
    const backend = await startDashDemoBackend({
      sandbox,
      knex: await databases.init('SQLITE_3'),
      dash: { refresh: { maxWaitMs: 60_000, prewarm: { enabled: false } } },
      features: [
        searchPlugin,
        searchModuleDash,
        schedulerOfSearch,
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      ],
    });
    server = backend.server;
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('finds the demo deploy of v2.14.0 through the query API, linking the DASH tab at the event', async () => {
    // The DASH backend stores payments-api's events when its timeline is first read.
    const timeline = await request(server)
      .get('/api/dash/timeline')
      .query({
        entityRef: PAYMENTS,
        from: new Date(sandbox.scenario.now - 24 * HOUR).toISOString(),
        to: new Date(sandbox.scenario.now + HOUR).toISOString(),
      });
    expect(timeline.status).toBe(200);

    await scheduler.triggerTask('search_index_dash');

    const res = await request(server)
      .get('/api/search/query')
      .query({ term: 'v2.14.0', types: ['dash'] });
    expect(res.status).toBe(200);
    const results: Array<{
      type: string;
      document: DashSearchDocumentFields & { title: string; location: string };
    }> = res.body.results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.every(r => r.type === 'dash')).toBe(true);

    const deploy = results.find(
      r =>
        r.document.entityRef === PAYMENTS &&
        r.document.kind === 'deploy' &&
        r.document.version === 'v2.14.0' &&
        r.document.environment === 'production',
    );
    expect(deploy).toBeDefined();
    const doc = deploy!.document;
    // The same event the DASH tab shows, selected by the link, inside the window the link opens.
    const stored = timeline.body.events.find(
      (e: { id: string }) => e.id === doc.eventId,
    );
    expect(stored).toMatchObject({
      title: doc.title,
      startTime: doc.startTime,
    });
    const link = new URL(doc.location, 'http://backstage.test');
    expect(link.pathname).toBe('/catalog/default/component/payments-api/dash');
    expect(link.searchParams.get('event')).toBe(doc.eventId);
    const at = Date.parse(doc.startTime);
    expect(Date.parse(link.searchParams.get('from')!)).toBeLessThan(at);
    expect(Date.parse(link.searchParams.get('to')!)).toBeGreaterThan(at);
  });
});
