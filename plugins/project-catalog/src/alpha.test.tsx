import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import projectCatalogPlugin, {
  auditLogCard,
  createProjectPage,
  projectCatalogApi,
  projectOverviewCard,
  quickLinksCard,
} from './alpha';
import { projectCatalogApiRef } from './api';

const entity = (kind: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'payments-api' },
});

describe('project-catalog plugin (new frontend system)', () => {
  it('is a plugin with the API, the cards and the page', () => {
    expect(projectCatalogPlugin.id).toBe('project-catalog');
    for (const id of [
      'api:project-catalog',
      'entity-card:project-catalog/project-overview',
      'entity-card:project-catalog/quick-links',
      'entity-card:project-catalog/audit-log',
      'page:project-catalog/create',
    ]) {
      expect(projectCatalogPlugin.getExtension(id as any)).toBeDefined();
    }
  });

  it('shows the cards on Components only', () => {
    // A predicate object (`{ kind: 'component' }`), which the blueprint turns into a function.
    const { filterFunction } = EntityCardBlueprint.dataRefs;
    const filters = [
      createExtensionTester(projectOverviewCard).get(filterFunction),
      createExtensionTester(quickLinksCard).get(filterFunction),
      createExtensionTester(auditLogCard).get(filterFunction),
    ];
    for (const filter of filters) {
      expect(filter!(entity('Component'))).toBe(true);
      expect(filter!(entity('Group'))).toBe(false);
    }
  });

  it('mounts the page at /project-catalog/create and provides the client', () => {
    expect(
      createExtensionTester(createProjectPage).get(coreExtensionData.routePath),
    ).toBe('/project-catalog/create');
    const factory = createExtensionTester(projectCatalogApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(projectCatalogApiRef.id);
  });
});
