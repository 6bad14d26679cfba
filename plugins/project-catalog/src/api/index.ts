import { createApiRef } from '@backstage/core-plugin-api';
import type { ProjectCatalogApi } from '@dash-suite/plugin-project-catalog-common';

/**
 * The Project Catalog backend client. Both frontend systems register `ProjectCatalogClient`
 * from `@dash-suite/plugin-project-catalog-common` for it (see `projectCatalogPlugin` and the
 * `/alpha` plugin).
 *
 * @public
 */
export const projectCatalogApiRef = createApiRef<ProjectCatalogApi>({
  id: 'plugin.project-catalog.api',
});
