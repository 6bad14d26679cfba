import {
  CreateProjectPage,
  EntityProjectAuditCard,
  EntityProjectOverviewCard,
  EntityQuickLinksCard,
  projectCatalogPlugin,
} from './plugin';
import { projectCatalogApiRef } from './api';

describe('projectCatalogPlugin (legacy frontend system)', () => {
  it('provides the API and the create route', () => {
    expect(projectCatalogPlugin.getId()).toBe('project-catalog');
    expect([...projectCatalogPlugin.getApis()].map(f => f.api.id)).toEqual([
      projectCatalogApiRef.id,
    ]);
    expect(projectCatalogPlugin.routes.createProject).toBeDefined();
  });

  it('exports the cards and the page as components', () => {
    for (const component of [
      CreateProjectPage,
      EntityProjectOverviewCard,
      EntityQuickLinksCard,
      EntityProjectAuditCard,
    ]) {
      expect(typeof component).toBe('function');
    }
  });
});
