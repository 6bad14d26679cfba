import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { dashSourcesExtensionPoint } from '@dash-suite/plugin-dash-node';
import { KibanaSource } from './KibanaSource';

/**
 * Adds the Kibana source to the DASH backend: error-log spikes from Elasticsearch and the
 * alerts of Kibana alerting rules, for entities with `kibana/index-pattern`.
 */
export const dashModuleKibana = createBackendModule({
  pluginId: 'dash',
  moduleId: 'kibana',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: dashSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ sources, config, logger, lifecycle }) {
        const source = KibanaSource.fromConfig(config, { logger });
        sources.addSource(source);
        lifecycle.addShutdownHook(() => source.close());
      },
    });
  },
});
