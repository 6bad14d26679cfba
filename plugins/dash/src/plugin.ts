import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { DashClient, hasDashAnnotation } from '@dash-suite/plugin-dash-common';
import { dashApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The DASH plugin for the legacy frontend system.
 *
 * @public
 */
export const dashPlugin = createPlugin({
  id: 'dash',
  apis: [
    createApiFactory({
      api: dashApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DashClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The DASH page: several services on one merged timeline. Mount it on a route, e.g.
 * `<Route path="/dash" element={<DashPage />} />`.
 *
 * @public
 */
export const DashPage = dashPlugin.provide(
  createRoutableExtension({
    name: 'DashPage',
    component: () => import('./components/DashPage').then(m => m.DashPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The DASH timeline tab of an entity page, e.g.
 * `<EntityLayout.Route path="/dash" title="DASH" if={isDashAvailable}><EntityDashContent /></EntityLayout.Route>`.
 *
 * @public
 */
export const EntityDashContent = dashPlugin.provide(
  createComponentExtension({
    name: 'EntityDashContent',
    component: {
      lazy: () =>
        import('./components/EntityDashContent').then(m => m.EntityDashContent),
    },
  }),
);

/**
 * True when the entity carries an annotation that at least one DASH source reads.
 *
 * @public
 */
export function isDashAvailable(entity: Entity): boolean {
  return hasDashAnnotation(entity);
}
