import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Force a refresh of an entity's feeds, bypassing freshness. Costs upstream budget, so it is
 * permission-gated. Reads need no DASH permission: they are allowed when the caller may read the
 * entity in the catalog.
 */
export const dashRefreshPermission = createPermission({
  name: 'dash.refresh',
  attributes: { action: 'update' },
});

/**
 * Post change events to an entity's timeline (`POST /changes`). A resource permission on the
 * catalog entity the change is posted to, so a policy can say who may post changes where (for
 * example the entity's owners, with the catalog's `isEntityOwner` rule).
 */
export const dashChangeCreatePermission = createPermission({
  name: 'dash.change.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Every permission of the DASH plugin. */
export const dashPermissions = [
  dashRefreshPermission,
  dashChangeCreatePermission,
];
