import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The create-project page (`/project-catalog/create` by default). */
export const createProjectRouteRef = createRouteRef({
  id: 'project-catalog:create',
});

/** Every migration campaign (`/project-catalog/campaigns` by default). */
export const campaignsRouteRef = createRouteRef({
  id: 'project-catalog:campaigns',
});

/** One campaign's page, under the campaigns page: `/project-catalog/campaigns/:id`. */
export const campaignRouteRef = createSubRouteRef({
  id: 'project-catalog:campaign',
  parent: campaignsRouteRef,
  path: '/:id',
});

/** Discovery's review queue (`/project-catalog/discovery` by default). */
export const discoveryRouteRef = createRouteRef({
  id: 'project-catalog:discovery',
});

/** The audit log across the catalog (`/project-catalog/audit` by default). */
export const auditRouteRef = createRouteRef({
  id: 'project-catalog:audit',
});
