import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { dashSourcesExtensionPoint } from '@dash-suite/plugin-dash-node';
import { PagerDutySource } from './PagerDutySource';

/**
 * Adds PagerDuty to DASH: `backend.add(import('@dash-suite/plugin-dash-backend-module-pagerduty'))`.
 * Settings under `dash.sources.pagerduty`; entities opt in with `pagerduty.com/service-id`.
 */
export const dashModulePagerDuty = createBackendModule({
  pluginId: 'dash',
  moduleId: 'pagerduty',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: dashSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        sources.addSource(PagerDutySource.fromConfig(config, logger));
      },
    });
  },
});
