import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  TestBackend,
  TestDatabaseId,
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

/**
 * A JSON object of root config, as the config mock takes it.
 *
 * @public
 */
export type DashTestConfig = NonNullable<
  NonNullable<Parameters<typeof mockServices.rootConfig.factory>[0]>['data']
>;

/**
 * How {@link startDashTestBackend} sets up the DASH backend.
 *
 * @public
 */
export interface DashTestBackendOptions {
  /**
   * The DASH backend plugin (`@dash-suite/plugin-dash-backend`'s default export). Passed in:
   * this package cannot depend on the plugin, which depends on it.
   */
  plugin: BackendFeature;
  /** The source module under test, and any other features (service mocks, fake modules). */
  features: BackendFeature[];
  /** What the catalog mock holds. */
  entities: Entity[];
  /** The databases created at the top of the test file. */
  databases: TestDatabases;
  /** The one of `databases` to run on. */
  databaseId: TestDatabaseId;
  /** Merged over the test guard (`{ timeoutMs: 1500, retries: 0 }`) at `dash.guard`. */
  guard?: DashTestConfig;
  /** `dash.sources`, when the sources are configured there. */
  sources?: DashTestConfig;
  /** Configuration outside `dash` (for example `integrations`). */
  config?: DashTestConfig;
}

/**
 * Starts a test backend with the DASH plugin, the given source module, a catalog mock holding
 * `entities`, a fresh database of `databaseId`, and root config that keeps background work out
 * of the way: no pre-warming, a short guard without retries, refreshes awaited up to 10 s.
 *
 * @public
 */
export async function startDashTestBackend(
  options: DashTestBackendOptions,
): Promise<TestBackend> {
  const knex = await options.databases.init(options.databaseId);
  return startTestBackend({
    features: [
      options.plugin,
      ...options.features,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          dash: {
            refresh: { maxWaitMs: 10_000, prewarm: { enabled: false } },
            guard: { timeoutMs: 1500, retries: 0, ...options.guard },
            ...(options.sources ? { sources: options.sources } : {}),
          },
        },
      }),
    ],
  });
}
