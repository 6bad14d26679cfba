import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ProjectCatalogClient } from '@dash-suite/plugin-project-catalog-common';
import { projectCatalogApiRef } from './api';
import { createProjectRouteRef } from './routes';

/**
 * The Project Catalog plugin for the legacy frontend system.
 *
 * @public
 */
export const projectCatalogPlugin = createPlugin({
  id: 'project-catalog',
  apis: [
    createApiFactory({
      api: projectCatalogApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProjectCatalogClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    createProject: createProjectRouteRef,
  },
});

// [pages]

/**
 * The page that creates a project without YAML. Mount it on a route, e.g.
 * `<Route path="/project-catalog/create" element={<CreateProjectPage />} />`.
 *
 * @public
 */
export const CreateProjectPage = projectCatalogPlugin.provide(
  createRoutableExtension({
    name: 'CreateProjectPage',
    component: () =>
      import('./components/CreateProjectPage').then(m => m.CreateProjectPage),
    mountPoint: createProjectRouteRef,
  }),
);

// [cards]

/**
 * Who is on call for the entity now, per escalation level, and the next hand-off (DASH
 * backend). Needs `@dash-suite/plugin-dash`'s plugin in the app for its API.
 *
 * @public
 */
export const EntityOnCallCard = projectCatalogPlugin.provide(
  createComponentExtension({
    name: 'EntityOnCallCard',
    component: {
      lazy: () => import('./components/OnCallCard').then(m => m.OnCallCard),
    },
  }),
);

/**
 * The latest deploy per environment, the few before it and GitHub compare links (DASH backend).
 *
 * @public
 */
export const EntityDeploysCard = projectCatalogPlugin.provide(
  createComponentExtension({
    name: 'EntityDeploysCard',
    component: {
      lazy: () => import('./components/DeploysCard').then(m => m.DeploysCard),
    },
  }),
);

/**
 * Firing alerts and open incidents, each linking into the DASH tab with it selected.
 *
 * @public
 */
export const EntityAlertsCard = projectCatalogPlugin.provide(
  createComponentExtension({
    name: 'EntityAlertsCard',
    component: {
      lazy: () => import('./components/AlertsCard').then(m => m.AlertsCard),
    },
  }),
);

/**
 * The four DORA metrics over 7, 30 or 90 days with a trend and the counts behind them.
 *
 * @public
 */
export const EntityDoraCard = projectCatalogPlugin.provide(
  createComponentExtension({
    name: 'EntityDoraCard',
    component: {
      lazy: () => import('./components/DoraCard').then(m => m.DoraCard),
    },
  }),
);

/**
 * The project overview card of an entity page: type, lifecycle, tier, owner, tags, repository,
 * with editing and YAML export. `<Grid item md={6}><EntityProjectOverviewCard /></Grid>`.
 *
 * @public
 */
export const EntityProjectOverviewCard = projectCatalogPlugin.provide(
  createComponentExtension({
    name: 'EntityProjectOverviewCard',
    component: {
      lazy: () =>
        import('./components/ProjectOverviewCard').then(
          m => m.ProjectOverviewCard,
        ),
    },
  }),
);

/**
 * Quick links of an entity: deep links generated from its annotations plus links added in the UI.
 *
 * @public
 */
export const EntityQuickLinksCard = projectCatalogPlugin.provide(
  createComponentExtension({
    name: 'EntityQuickLinksCard',
    component: {
      lazy: () =>
        import('./components/QuickLinksCard').then(m => m.QuickLinksCard),
    },
  }),
);

/**
 * The last changes made to an entity's project metadata through the UI.
 *
 * @public
 */
export const EntityProjectAuditCard = projectCatalogPlugin.provide(
  createComponentExtension({
    name: 'EntityProjectAuditCard',
    component: {
      lazy: () => import('./components/AuditLogCard').then(m => m.AuditLogCard),
    },
  }),
);
