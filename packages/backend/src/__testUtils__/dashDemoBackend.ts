import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  TestBackend,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import dashPlugin from '@dash-suite/plugin-dash-backend';
import githubModule from '@dash-suite/plugin-dash-backend-module-github';
import grafanaModule from '@dash-suite/plugin-dash-backend-module-grafana';
import kibanaModule from '@dash-suite/plugin-dash-backend-module-kibana';
import pagerdutyModule from '@dash-suite/plugin-dash-backend-module-pagerduty';
import { Sandbox, serviceEntity } from '@dash-suite/upstream-sandbox';
import { Knex } from 'knex';
import { sandboxConfig } from './sandboxConfig';

/**
 * The DASH backend with all four source modules pointed at a running upstream sandbox, as the
 * demo runs it: a catalog mock holding the scenario's services (or `entities`), the database
 * behind `knex`, and `dash` merged over the sandbox's `dash` config (refresh, guard,
 * retention: whatever the test is about). `features` adds service mocks such as a logger.
 */
export function startDashDemoBackend(options: {
  sandbox: Sandbox;
  knex: Knex;
  dash: Record<string, unknown>;
  entities?: Entity[];
  features?: BackendFeature[];
}): Promise<TestBackend> {
  const { sandbox, knex, dash } = options;
  const config = sandboxConfig(sandbox);
  return startTestBackend({
    features: [
      dashPlugin,
      pagerdutyModule,
      githubModule,
      grafanaModule,
      kibanaModule,
      catalogServiceMock.factory({
        entities:
          options.entities ?? sandbox.scenario.services.map(serviceEntity),
      }),
      mockServices.database.factory({ knex }),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: { ...config, dash: { ...config.dash, ...dash } },
      }),
    ],
  });
}
