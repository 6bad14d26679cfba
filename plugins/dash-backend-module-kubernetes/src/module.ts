import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { dashSourcesExtensionPoint } from '@dash-suite/plugin-dash-node';
import { KubernetesSource } from './KubernetesSource';

/**
 * Adds Kubernetes to DASH:
 * `backend.add(import('@dash-suite/plugin-dash-backend-module-kubernetes'))`. Clusters come
 * from Backstage's `kubernetes.clusterLocatorMethods`; DASH's own settings are under
 * `dash.sources.kubernetes`; entities opt in with `backstage.io/kubernetes-id` or
 * `backstage.io/kubernetes-label-selector`.
 */
export const dashModuleKubernetes = createBackendModule({
  pluginId: 'dash',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: dashSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        sources.addSource(KubernetesSource.fromConfig(config, logger));
      },
    });
  },
});
