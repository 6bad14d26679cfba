import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogCollatorExtensionPoint } from '@backstage/plugin-search-backend-module-catalog';
import { projectCatalogDocument } from './projectCatalogDocument';

/**
 * Makes the catalog collator's documents carry tags, tier and the suite's annotations, so that
 * what owners edit in Project Catalog is found by Backstage search.
 */
export const searchModuleProjectCatalog = createBackendModule({
  pluginId: 'search',
  moduleId: 'project-catalog',
  register(reg) {
    reg.registerInit({
      deps: { collator: catalogCollatorExtensionPoint },
      async init({ collator }) {
        collator.setEntityTransformer(projectCatalogDocument);
      },
    });
  },
});
