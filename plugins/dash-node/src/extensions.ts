import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { SignalSource } from './SignalSource';

/**
 * What `dashSourcesExtensionPoint` offers a backend module.
 *
 * @public
 */
export interface DashSourcesExtensionPoint {
  /** Registers a source; its `id` must be unique among the installed sources. */
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
 *
 * @public
 */
export const dashSourcesExtensionPoint =
  createExtensionPoint<DashSourcesExtensionPoint>({
    id: 'dash.sources',
  });
