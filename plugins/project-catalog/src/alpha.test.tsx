import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import projectCatalogPlugin, {
  auditLogCard,
  auditLogPage,
  campaignsCard,
  campaignsPage,
  createProjectPage,
  discoveryPage,
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
    expect(projectCatalogPlugin.pluginId).toBe('project-catalog');
    for (const id of [
      'api:project-catalog',
      'entity-card:project-catalog/project-overview',
      'entity-card:project-catalog/quick-links',
      'entity-card:project-catalog/audit-log',
      'entity-card:project-catalog/campaigns',
      'entity-card:project-catalog/on-call',
      'entity-card:project-catalog/deploys',
      'entity-card:project-catalog/alerts',
      'entity-card:project-catalog/dora',
      'page:project-catalog/create',
      'page:project-catalog/campaigns',
      'page:project-catalog/discovery',
      'page:project-catalog/audit',
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
      createExtensionTester(campaignsCard).get(filterFunction),
    ];
    for (const filter of filters) {
      expect(filter!(entity('Component'))).toBe(true);
      expect(filter!(entity('Group'))).toBe(false);
    }
  });

  it('mounts the pages under /project-catalog and provides the client', () => {
    expect(
      createExtensionTester(createProjectPage).get(coreExtensionData.routePath),
    ).toBe('/project-catalog/create');
    expect(
      createExtensionTester(campaignsPage).get(coreExtensionData.routePath),
    ).toBe('/project-catalog/campaigns');
    expect(
      createExtensionTester(discoveryPage).get(coreExtensionData.routePath),
    ).toBe('/project-catalog/discovery');
    expect(
      createExtensionTester(auditLogPage).get(coreExtensionData.routePath),
    ).toBe('/project-catalog/audit');
    const factory = createExtensionTester(projectCatalogApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(projectCatalogApiRef.id);
  });
});
