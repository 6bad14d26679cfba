import { TestDatabases } from '@backstage/backend-test-utils';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import searchModuleProjectCatalog from '@dash-suite/plugin-search-backend-module-project-catalog';
import request from 'supertest';
import {
  getEntity,
  startCatalogWithModule,
  triggerableScheduler,
  waitFor,
  yamlComponent,
} from './__testUtils__/catalogTestBackend';
import { FakeProjectCatalogBackend } from './__testUtils__/fakeProjectCatalogBackend';

jest.setTimeout(120_000);

// The search path does not depend on the catalog's database; SQLite is enough here.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** The task id under which the search backend schedules the catalog collator. */
const COLLATOR_TASK = 'search_index_software_catalog';

async function search(server: any, term: string) {
  const res = await request(server).get('/api/search/query').query({ term });
  expect(res.status).toBe(200);
  return res.body.results as Array<{
    type: string;
    document: { title: string; text: string; location: string };
  }>;
}

describe('search sees Project Catalog edits', () => {
  it('finds an overlaid title, description and tag through /api/search/query after the collator runs', async () => {
    const fake = new FakeProjectCatalogBackend();
    fake.feed = {
      revision: 1,
      overlays: [
        {
          entityRef: 'component:default/orders-api',
          fields: {
            title: 'Zanzibar Orders',
            description: 'Takes quokka orders from the web shop',
            tags: ['walrus'],
          },
        },
      ],
      projects: [],
    };
    const { scheduler, factory: schedulerFactory } = triggerableScheduler();
    const { server } = await startCatalogWithModule({
      databases,
      databaseId: 'SQLITE_3',
      fake,
      yamlDocuments: [
        yamlComponent('orders-api'),
        yamlComponent('payments-api'),
      ],
      features: [
        searchPlugin,
        searchModuleCatalogCollator,
        searchModuleProjectCatalog,
        schedulerFactory,
      ],
      config: {
        search: {
          collators: {
            catalog: {
              schedule: { frequency: { seconds: 2 }, timeout: { minutes: 1 } },
            },
          },
        },
      },
    });

    await waitFor('the overlay in the catalog', async () => {
      const entity = await getEntity(server, 'orders-api');
      return entity?.metadata.title === 'Zanzibar Orders' ? entity : undefined;
    });

    const collatedAt = Date.now();
    await scheduler.triggerTask(COLLATOR_TASK);
    const found = await waitFor('the search hit', async () => {
      const results = await search(server, 'quokka');
      return results.length ? results : undefined;
    });
    // eslint-disable-next-line no-console
    console.log(
      `Project Catalog search: collator run to search hit ${
        Date.now() - collatedAt
      } ms`,
    );
    expect(found.value).toEqual([
      expect.objectContaining({
        type: 'software-catalog',
        document: expect.objectContaining({
          title: 'Zanzibar Orders',
          text: 'Takes quokka orders from the web shop : Tags: walrus',
          location: '/catalog/default/component/orders-api',
        }),
      }),
    ]);
    expect((await search(server, 'zanzibar')).length).toBe(1);
    // The search module of Project Catalog puts tags into the documents: a tag edited in the
    // UI is found by full-text search, and by a filter on the document's tags field.
    expect((await search(server, 'walrus')).map(r => r.document.title)).toEqual(
      ['Zanzibar Orders'],
    );
  });
});
