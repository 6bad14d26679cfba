import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Edit a project's metadata (overlays on any entity, and UI-created projects). A resource
 * permission on catalog entities, so that a policy can allow an entity's owners with the
 * catalog's own conditions (`catalogConditions.isEntityOwner`).
 */
export const projectCatalogMetadataUpdatePermission = createPermission({
  name: 'project-catalog.metadata.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Create a project in the UI (a new catalog Component, no YAML). */
export const projectCatalogProjectCreatePermission = createPermission({
  name: 'project-catalog.project.create',
  attributes: { action: 'create' },
});

/** Delete a project that was created in the UI; a resource permission on its entity. */
export const projectCatalogProjectDeletePermission = createPermission({
  name: 'project-catalog.project.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Create, change and end migration campaigns, and exempt entities from them. */
export const projectCatalogCampaignManagePermission = createPermission({
  name: 'project-catalog.campaign.manage',
  attributes: { action: 'update' },
});

/** Adopt, ignore or merge the projects that discovery suggests, and start a scan. */
export const projectCatalogDiscoveryReviewPermission = createPermission({
  name: 'project-catalog.discovery.review',
  attributes: { action: 'update' },
});

/**
 * Page the entity's on-call (open a PagerDuty incident through the backend); a resource
 * permission on its entity, so a policy can allow it per service.
 */
export const projectCatalogOnCallPagePermission = createPermission({
  name: 'project-catalog.oncall.page',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission of the Project Catalog plugin. */
export const projectCatalogPermissions = [
  projectCatalogMetadataUpdatePermission,
  projectCatalogProjectCreatePermission,
  projectCatalogProjectDeletePermission,
  projectCatalogCampaignManagePermission,
  projectCatalogDiscoveryReviewPermission,
  projectCatalogOnCallPagePermission,
];
