import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { DashClient } from '@dash-suite/plugin-dash-common';
import { readDashCollatorSettings } from './config';
import { DashCollatorFactory } from './DashCollatorFactory';

/**
 * Indexes recent DASH incidents, deploys, releases and changes for Backstage search (document
 * type `dash`), each result opening the entity's DASH tab at its event.
 */
export const searchModuleDashCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'dash-collator',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({
        config,
        auth,
        discovery,
        logger,
        scheduler,
        indexRegistry,
      }) {
        const settings = readDashCollatorSettings(config);
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(settings.schedule),
          factory: new DashCollatorFactory({
            client: DashClient.forService({ auth, discovery }),
            retentionMs: settings.retentionMs,
            logger,
          }),
        });
      },
    });
  },
});
