import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { Content } from '@backstage/core-components';
import { Entity } from '@backstage/catalog-model';
import { hasDashAnnotation } from '@dash-suite/plugin-dash-common';
import { ProjectCatalogClient } from '@dash-suite/plugin-project-catalog-common';
import AddBoxIcon from '@material-ui/icons/AddBox';
import FlagIcon from '@material-ui/icons/Flag';
import HistoryIcon from '@material-ui/icons/History';
import SearchIcon from '@material-ui/icons/FindInPage';
import { projectCatalogApiRef } from './api';
import {
  auditRouteRef,
  campaignsRouteRef,
  createProjectRouteRef,
  discoveryRouteRef,
} from './routes';

/** @alpha */
export const projectCatalogApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: projectCatalogApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProjectCatalogClient({ discoveryApi, fetchApi }),
    }),
});

/** Cards show on Components only (projects are Components). */
const isComponent = { kind: 'component' };

// [cards]

/** Components with at least one annotation a DASH source reads, as the DASH tab has. */
const hasDashSource = (entity: Entity) =>
  entity.kind.toLocaleLowerCase('en-US') === 'component' &&
  hasDashAnnotation(entity);

/** Who is on call now, per escalation level, and the next hand-off. @alpha */
export const onCallCard = EntityCardBlueprint.make({
  name: 'on-call',
  params: {
    filter: hasDashSource,
    loader: () => import('./components/OnCallCard').then(m => <m.OnCallCard />),
  },
});

/** The latest deploy per environment, with GitHub compare links. @alpha */
export const deploysCard = EntityCardBlueprint.make({
  name: 'deploys',
  params: {
    filter: hasDashSource,
    loader: () =>
      import('./components/DeploysCard').then(m => <m.DeploysCard />),
  },
});

/** Firing alerts and open incidents, linking into the DASH tab. @alpha */
export const alertsCard = EntityCardBlueprint.make({
  name: 'alerts',
  params: {
    filter: hasDashSource,
    loader: () => import('./components/AlertsCard').then(m => <m.AlertsCard />),
  },
});

/** The four DORA metrics over 7, 30 or 90 days with their trend. @alpha */
export const doraCard = EntityCardBlueprint.make({
  name: 'dora',
  params: {
    filter: hasDashSource,
    loader: () => import('./components/DoraCard').then(m => <m.DoraCard />),
  },
});

/** The project overview card on the Overview tab of Components. @alpha */
export const projectOverviewCard = EntityCardBlueprint.make({
  name: 'project-overview',
  params: {
    filter: isComponent,
    loader: () =>
      import('./components/ProjectOverviewCard').then(m => (
        <m.ProjectOverviewCard />
      )),
  },
});

/** The quick links card on the Overview tab of Components. @alpha */
export const quickLinksCard = EntityCardBlueprint.make({
  name: 'quick-links',
  params: {
    filter: isComponent,
    loader: () =>
      import('./components/QuickLinksCard').then(m => <m.QuickLinksCard />),
  },
});

/** The audit log card on the Overview tab of Components. @alpha */
export const auditLogCard = EntityCardBlueprint.make({
  name: 'audit-log',
  params: {
    filter: isComponent,
    loader: () =>
      import('./components/AuditLogCard').then(m => <m.AuditLogCard />),
  },
});

/** The campaigns this project is in, its status and what to do next. @alpha */
export const campaignsCard = EntityCardBlueprint.make({
  name: 'campaigns',
  params: {
    filter: isComponent,
    loader: () =>
      import('./components/CampaignsCard').then(m => <m.CampaignsCard />),
  },
});

// [pages]

const createProjectRoute = convertLegacyRouteRef(createProjectRouteRef);
const campaignsRoute = convertLegacyRouteRef(campaignsRouteRef);
const discoveryRoute = convertLegacyRouteRef(discoveryRouteRef);
const auditRoute = convertLegacyRouteRef(auditRouteRef);

/** The create-project page at `/project-catalog/create`. @alpha */
export const createProjectPage = PageBlueprint.make({
  name: 'create',
  params: {
    path: '/project-catalog/create',
    title: 'Create project',
    icon: <AddBoxIcon />,
    routeRef: createProjectRoute,
    loader: () =>
      import('./components/CreateProjectPage').then(m => (
        <Content>
          <m.CreateProjectContent />
        </Content>
      )),
  },
});

/** Every migration campaign, and each campaign's page, at `/project-catalog/campaigns`. @alpha */
export const campaignsPage = PageBlueprint.make({
  name: 'campaigns',
  params: {
    path: '/project-catalog/campaigns',
    title: 'Campaigns',
    icon: <FlagIcon />,
    routeRef: campaignsRoute,
    loader: () =>
      import('./components/CampaignsPage').then(m => (
        <Content>
          <m.CampaignsContent />
        </Content>
      )),
  },
});

/** Discovery's review queue at `/project-catalog/discovery`. @alpha */
export const discoveryPage = PageBlueprint.make({
  name: 'discovery',
  params: {
    path: '/project-catalog/discovery',
    title: 'Discovery',
    icon: <SearchIcon />,
    routeRef: discoveryRoute,
    loader: () =>
      import('./components/DiscoveryPage').then(m => (
        <Content>
          <m.DiscoveryContent />
        </Content>
      )),
  },
});

/** The audit log across the catalog at `/project-catalog/audit`. @alpha */
export const auditLogPage = PageBlueprint.make({
  name: 'audit',
  params: {
    path: '/project-catalog/audit',
    title: 'Audit log',
    icon: <HistoryIcon />,
    routeRef: auditRoute,
    loader: () =>
      import('./components/AuditLogPage').then(m => (
        <Content>
          <m.AuditLogContent />
        </Content>
      )),
  },
});

/**
 * The Project Catalog plugin for the new frontend system: entity cards, the create-project page
 * and the API.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'project-catalog',
  title: 'Project Catalog',
  icon: <AddBoxIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    createProject: createProjectRoute,
    campaigns: campaignsRoute,
    discovery: discoveryRoute,
    audit: auditRoute,
  },
  extensions: [
    projectCatalogApi,
    // [cards]
    onCallCard,
    deploysCard,
    alertsCard,
    doraCard,
    projectOverviewCard,
    quickLinksCard,
    auditLogCard,
    campaignsCard,
    // [pages]
    createProjectPage,
    campaignsPage,
    discoveryPage,
    auditLogPage,
  ],
});
