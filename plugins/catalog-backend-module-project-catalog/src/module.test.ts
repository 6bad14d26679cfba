import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ANNOTATION_SHADOWED_FIELDS,
  ANNOTATION_UI_FIELDS,
} from '@dash-suite/plugin-project-catalog-common';
import request from 'supertest';
import {
  REVALIDATE_SECONDS,
  getEntity,
  queryNames,
  startCatalogWithModule,
  triggerableScheduler,
  uiProject,
  waitFor,
  yamlComponent,
} from './__testUtils__/catalogTestBackend';
import { FakeProjectCatalogBackend } from './__testUtils__/fakeProjectCatalogBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const PAYMENTS = 'component:default/payments-api';
const ORDERS = 'component:default/orders-api';
/** The revalidation window of the test with processing almost off. */
const WINDOW_SECONDS = 3;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const FILLERS = Array.from({ length: 40 }, (_, i) => `filler-${i}`);

/** Timings measured by the runs, printed at the end for the README and the report. */
const timings: Record<string, number> = {};
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(
    `Project Catalog catalog timings (ms): ${JSON.stringify(timings)}`,
  );
});

describe.each(databases.eachSupportedId())(
  'catalog module project-catalog with the real catalog on %p',
  databaseId => {
    it('merges overlays, keeps YAML fields, emits UI projects, with few backend requests', async () => {
      const fake = new FakeProjectCatalogBackend();
      fake.feed = {
        revision: 1,
        overlays: [
          {
            entityRef: 'Component:default/Payments-API',
            fields: {
              tags: ['pc-ui-tag'],
              tier: '1',
              description: 'Edited in the UI',
              links: [
                {
                  url: 'https://grafana.acme.example/d/pay',
                  title: 'Dashboard',
                },
              ],
            },
          },
          // An overlay on a UI-created project is never merged: the provider emits it whole.
          {
            entityRef: 'component:default/new-ui-svc',
            fields: { tags: ['pc-must-not-apply'] },
          },
        ],
        projects: [],
      };
      const started = Date.now();
      const { server } = await startCatalogWithModule({
        databases,
        databaseId,
        fake,
        yamlDocuments: [
          yamlComponent('payments-api', { description: 'Defined in YAML' }),
          yamlComponent('orders-api'),
          ...FILLERS.map(name => yamlComponent(name)),
        ],
      });

      // An overlaid tag is found by a catalog filter query.
      const first = await waitFor('the overlaid tag', async () => {
        const names = await queryNames(server, 'metadata.tags=pc-ui-tag');
        return names.length ? names : undefined;
      });
      expect(first.value).toEqual(['payments-api']);
      timings[`${databaseId}: backend start to overlay in filter`] =
        Date.now() - started;

      // The YAML-defined description is kept and the UI edit is reported as shadowed.
      const payments = (await getEntity(server, 'payments-api'))!;
      expect(payments.metadata.description).toBe('Defined in YAML');
      expect(payments.metadata.annotations?.[ANNOTATION_SHADOWED_FIELDS]).toBe(
        'description',
      );
      expect(payments.metadata.annotations?.[ANNOTATION_UI_FIELDS]).toBe(
        'tier,tags,links',
      );
      expect(payments.metadata.labels).toEqual({ tier: '1' });
      expect(payments.metadata.links).toEqual([
        { url: 'https://grafana.acme.example/d/pay', title: 'Dashboard' },
      ]);
      expect(await queryNames(server, 'metadata.labels.tier=1')).toEqual([
        'payments-api',
      ]);

      // An edit that is announced shows up right away.
      fake.write({
        overlays: [
          { entityRef: PAYMENTS, fields: { tags: ['pc-edited'], tier: '1' } },
        ],
      });
      const announcedAt = Date.now();
      await fake.announce(PAYMENTS, 'overlay');
      const edited = await waitFor('the announced edit', async () => {
        const names = await queryNames(server, 'metadata.tags=pc-edited');
        return names.length ? names : undefined;
      });
      expect(edited.value).toEqual(['payments-api']);
      timings[`${databaseId}: announced edit to filter`] =
        Date.now() - announcedAt;
      expect(await queryNames(server, 'metadata.tags=pc-ui-tag')).toEqual([]);

      // An edit whose announcement was lost arrives by revalidation and the processing loop.
      fake.write({
        overlays: [
          { entityRef: PAYMENTS, fields: { tags: ['pc-edited'], tier: '1' } },
          { entityRef: ORDERS, fields: { tags: ['pc-silent'] } },
        ],
      });
      const silentAt = Date.now();
      await waitFor('the unannounced edit', async () => {
        const names = await queryNames(server, 'metadata.tags=pc-silent');
        return names.length ? names : undefined;
      });
      timings[`${databaseId}: unannounced edit to filter`] =
        Date.now() - silentAt;

      // A project created in the UI appears, whole, and is not overlaid.
      fake.write({ projects: [uiProject('new-ui-svc', ['pc-created'])] });
      const createdAt = Date.now();
      await fake.announce('component:default/new-ui-svc', 'project');
      const created = await waitFor('the created project', async () => {
        const res = await request(server)
          .get('/api/catalog/entities')
          .query({ filter: 'metadata.name=new-ui-svc' });
        return res.body.length ? res.body[0] : undefined;
      });
      timings[`${databaseId}: created project to catalog`] =
        Date.now() - createdAt;
      expect(created.value.metadata.tags).toEqual(['pc-created']);
      expect(created.value.metadata.annotations).toMatchObject({
        'project-catalog/origin': 'ui',
        'backstage.io/managed-by-location':
          'project-catalog:component:default/new-ui-svc',
      });
      expect(
        created.value.metadata.annotations[ANNOTATION_UI_FIELDS],
      ).toBeUndefined();

      // ... and disappears once the feed drops it.
      fake.write({ projects: [] });
      await fake.announce('component:default/new-ui-svc', 'project');
      await waitFor('the deleted project to disappear', async () =>
        (await getEntity(server, 'new-ui-svc')) ? undefined : true,
      );

      // 42 entities processed about once a second for the whole run: the backend was asked
      // about once per revalidation window, plus once per announcement.
      const elapsedSeconds = (Date.now() - started) / 1000;
      const announcements = 3;
      expect(fake.requests.length).toBeLessThanOrEqual(
        Math.ceil(elapsedSeconds / REVALIDATE_SECONDS) + announcements + 2,
      );
      // A quiet spell: the entities keep being processed, the feed is asked at most once per
      // window, and answers 304.
      const quietFrom = fake.requests.length;
      await sleep(3000);
      const quiet = fake.requests.slice(quietFrom);
      expect(quiet.length).toBeGreaterThanOrEqual(1);
      expect(quiet.length).toBeLessThanOrEqual(3 / REVALIDATE_SECONDS + 1);
      expect(quiet.every(r => r.status === 304)).toBe(true);
      timings[`${databaseId}: feed requests`] = fake.requests.length;
      timings[`${databaseId}: run seconds`] = Math.round(elapsedSeconds);
    });

    it('with processing almost off: recovers from a backend that was down at startup, and applies announced edits on its own', async () => {
      const fake = new FakeProjectCatalogBackend();
      fake.unavailable = true;
      fake.feed = {
        revision: 1,
        overlays: [
          { entityRef: PAYMENTS, fields: { tags: ['pc-cold-start'] } },
        ],
        projects: [],
      };
      const { scheduler, factory: schedulerFactory } = triggerableScheduler();
      const { server } = await startCatalogWithModule({
        databases,
        databaseId,
        fake,
        yamlDocuments: [
          yamlComponent('payments-api'),
          yamlComponent('orders-api'),
        ],
        // Entities are processed when they first appear and then only when refreshed.
        catalogConfig: {
          processingInterval: { hours: 1 },
          projectCatalog: { revalidateSeconds: WINDOW_SECONDS },
        },
        features: [schedulerFactory],
      });

      // Processed while the backend was down: in the catalog, without its overlay.
      const bare = await waitFor('payments-api without overlays', async () =>
        getEntity(server, 'payments-api'),
      );
      expect(bare.value.metadata.tags ?? []).toEqual([]);

      // The backend comes up; the provider's next scheduled run (after the window since the
      // last failed attempt) loads the feed, and the entities processed without it are
      // processed again at once (refresh key), not an hour later.
      fake.unavailable = false;
      await sleep(WINDOW_SECONDS * 1000);
      const upAt = Date.now();
      await scheduler.triggerTask('project-catalog:refresh');
      await waitFor('the overlay after the backend came up', async () => {
        const names = await queryNames(server, 'metadata.tags=pc-cold-start');
        return names.length ? names : undefined;
      });
      timings[`${databaseId}: backend up to overlay (refresh key)`] =
        Date.now() - upAt;

      // An announced edit arrives through the announcement alone (no processing loop).
      fake.write({
        overlays: [{ entityRef: PAYMENTS, fields: { tags: ['pc-announced'] } }],
      });
      const announcedAt = Date.now();
      await fake.announce(PAYMENTS, 'overlay');
      await waitFor('the announced edit', async () => {
        const names = await queryNames(server, 'metadata.tags=pc-announced');
        return names.length ? names : undefined;
      });
      timings[`${databaseId}: announced edit to filter, processing off`] =
        Date.now() - announcedAt;

      // The announcement outruns the write (as on a replica whose copy lags): the immediate
      // refresh merges the old value, since the cache has just been revalidated; the second
      // refresh, two windows later, finds the cache revalidated since the write.
      const next = fake.feed.revision + 1;
      const lateAt = Date.now();
      await fake.announce(PAYMENTS, 'overlay', next);
      await sleep(300);
      fake.write({
        overlays: [{ entityRef: PAYMENTS, fields: { tags: ['pc-late'] } }],
      });
      await sleep(WINDOW_SECONDS * 500);
      expect(await queryNames(server, 'metadata.tags=pc-announced')).toEqual([
        'payments-api',
      ]);
      const late = await waitFor(
        'the edit after the second refresh',
        async () => {
          const names = await queryNames(server, 'metadata.tags=pc-late');
          return names.length ? names : undefined;
        },
      );
      expect(late.value).toEqual(['payments-api']);
      const lateMs = Date.now() - lateAt;
      timings[`${databaseId}: lagging edit via second refresh`] = lateMs;
      expect(lateMs).toBeGreaterThanOrEqual(2 * WINDOW_SECONDS * 1000 - 100);
    });
  },
);
