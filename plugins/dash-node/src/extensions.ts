import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { SignalSource } from './SignalSource';

export interface DashSourcesExtensionPoint {
  addSource(source: SignalSource): void;
}

/**
 * Where backend modules register their sources with the DASH backend:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'dash',
 *   moduleId: 'opsgenie',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { sources: dashSourcesExtensionPoint, config: coreServices.rootConfig },
 *       async init({ sources, config }) {
 *         sources.addSource(new OpsgenieSource(config));
 *       },
 *     });
 *   },
 * });
 * ```
 */
export const dashSourcesExtensionPoint =
  createExtensionPoint<DashSourcesExtensionPoint>({
    id: 'dash.sources',
  });
