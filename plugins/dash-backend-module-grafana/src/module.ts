import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { dashSourcesExtensionPoint } from '@dash-suite/plugin-dash-node';
import { GrafanaSource } from './GrafanaSource';

/**
 * Adds Grafana to DASH: `backend.add(import('@dash-suite/plugin-dash-backend-module-grafana'))`.
 * Settings under `dash.sources.grafana`; entities opt in with `grafana/dashboard-selector` and
 * `grafana/alert-label-selector`.
 */
export const dashModuleGrafana = createBackendModule({
  pluginId: 'dash',
  moduleId: 'grafana',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: dashSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        sources.addSource(GrafanaSource.fromConfig(config, logger));
      },
    });
  },
});
