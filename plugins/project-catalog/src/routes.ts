import { createRouteRef } from '@backstage/core-plugin-api';

/** The create-project page (`/project-catalog/create` by default). */
export const createProjectRouteRef = createRouteRef({
  id: 'project-catalog:create',
});
