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
import {
  auditRouteRef,
  campaignsRouteRef,
  createProjectRouteRef,
  discoveryRouteRef,
} from './routes';

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
    campaigns: campaignsRouteRef,
    discovery: discoveryRouteRef,
    audit: auditRouteRef,
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

/**
 * Migration campaigns: every campaign with its progress, and each campaign's page (burn-up,
 * per-team breakdown, the entities left to do). Mount it at `/project-catalog/campaigns` with
 * a trailing `/*`: `<Route path="/project-catalog/campaigns/*" element={<CampaignsPage />} />`.
 *
 * @public
 */
export const CampaignsPage = projectCatalogPlugin.provide(
  createRoutableExtension({
    name: 'CampaignsPage',
    component: () =>
      import('./components/CampaignsPage').then(m => m.CampaignsPage),
    mountPoint: campaignsRouteRef,
  }),
);

/**
 * Discovery's review queue: suggested projects to adopt, ignore or merge, one by one or in
 * bulk. `<Route path="/project-catalog/discovery" element={<DiscoveryPage />} />`.
 *
 * @public
 */
export const DiscoveryPage = projectCatalogPlugin.provide(
  createRoutableExtension({
    name: 'DiscoveryPage',
    component: () =>
      import('./components/DiscoveryPage').then(m => m.DiscoveryPage),
    mountPoint: discoveryRouteRef,
  }),
);

/**
 * The audit log across the catalog, filterable by actor, entity, field, action and time, with
 * the filters in the URL. `<Route path="/project-catalog/audit" element={<AuditLogPage />} />`.
 *
 * @public
 */
export const AuditLogPage = projectCatalogPlugin.provide(
  createRoutableExtension({
    name: 'AuditLogPage',
    component: () =>
      import('./components/AuditLogPage').then(m => m.AuditLogPage),
    mountPoint: auditRouteRef,
  }),
);

// [cards]

/**
 * The migration campaigns the entity is in, its status in each, what to do next and the
 * deadline; owners set a manual status here.
 *
 * @public
 */
export const EntityCampaignsCard = projectCatalogPlugin.provide(
  createComponentExtension({
    name: 'EntityCampaignsCard',
    component: {
      lazy: () =>
        import('./components/CampaignsCard').then(m => m.CampaignsCard),
    },
  }),
);

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
