/**
 * The catalog module of Project Catalog: merges the metadata edited in the UI into catalog
 * entities and emits the projects created in the UI.
 *
 * @packageDocumentation
 */
export { catalogModuleProjectCatalog as default } from './module';
export { OverlayCache } from './OverlayCache';
export type { OverlaySnapshot, OverlayCacheListener } from './OverlayCache';
export {
  FEED_PENDING_REFRESH_KEY,
  ProjectCatalogOverlayProcessor,
} from './ProjectCatalogOverlayProcessor';
export {
  ProjectCatalogEntityProvider,
  PROJECT_CATALOG_PROVIDER_NAME,
} from './ProjectCatalogEntityProvider';
export { ProjectCatalogChangeHandler } from './ProjectCatalogChangeHandler';
export {
  ProjectCatalogFeedClient,
  parseCatalogFeed,
} from './ProjectCatalogFeedClient';
export type {
  CatalogFeedResult,
  CatalogFeedSource,
  FeedFetch,
} from './ProjectCatalogFeedClient';
export { normalizeEntityRef } from './normalizeEntityRef';
export { readProjectCatalogModuleSettings } from './config';
export type { ProjectCatalogModuleSettings } from './config';
