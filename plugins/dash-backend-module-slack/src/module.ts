import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { dashSourcesExtensionPoint } from '@dash-suite/plugin-dash-node';
import { SlackSource } from './SlackSource';

/**
 * Adds Slack to DASH: `backend.add(import('@dash-suite/plugin-dash-backend-module-slack'))`.
 * Settings under `dash.sources.slack`; entities opt in with `slack.com/channel-id`, and the
 * incident channels of their PagerDuty incidents are found through the PagerDuty source.
 */
export const dashModuleSlack = createBackendModule({
  pluginId: 'dash',
  moduleId: 'slack',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: dashSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        sources.addSource(SlackSource.fromConfig(config, logger));
      },
    });
  },
});
