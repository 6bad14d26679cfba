/**
 * Project Catalog: entity cards (overview with UI editing, quick links, audit log) and a page
 * that creates projects without YAML. This entry point serves the legacy frontend system; the
 * new frontend system's plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */
export {
  projectCatalogPlugin,
  CreateProjectPage,
  CampaignsPage,
  DiscoveryPage,
  AuditLogPage,
  EntityCampaignsCard,
  EntityProjectOverviewCard,
  EntityQuickLinksCard,
  EntityProjectAuditCard,
  EntityOnCallCard,
  EntityDeploysCard,
  EntityAlertsCard,
  EntityDoraCard,
} from './plugin';
export type { OnCallCardProps } from './components/OnCallCard';
export type { DeploysCardProps } from './components/DeploysCard';
export type { AlertsCardProps } from './components/AlertsCard';
export type { DoraCardProps } from './components/DoraCard';
export { projectCatalogApiRef } from './api';
export {
  createProjectRouteRef,
  campaignsRouteRef,
  campaignRouteRef,
  discoveryRouteRef,
  auditRouteRef,
} from './routes';
