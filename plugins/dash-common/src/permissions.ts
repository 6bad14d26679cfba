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

/** Post change events from a deploy system (`POST /changes`). */
export const dashChangeCreatePermission = createPermission({
  name: 'dash.change.create',
  attributes: { action: 'create' },
});

/** Every permission of the DASH plugin. */
export const dashPermissions = [
  dashRefreshPermission,
  dashChangeCreatePermission,
];
