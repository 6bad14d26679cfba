import {
  AuditLogPage,
  CampaignsPage,
  CreateProjectPage,
  DiscoveryPage,
  EntityAlertsCard,
  EntityCampaignsCard,
  EntityDeploysCard,
  EntityDoraCard,
  EntityOnCallCard,
  EntityProjectAuditCard,
  EntityProjectOverviewCard,
  EntityQuickLinksCard,
  projectCatalogPlugin,
} from './plugin';
import { projectCatalogApiRef } from './api';

describe('projectCatalogPlugin (legacy frontend system)', () => {
  it('provides the API and the routes of its pages', () => {
    expect(projectCatalogPlugin.getId()).toBe('project-catalog');
    expect([...projectCatalogPlugin.getApis()].map(f => f.api.id)).toEqual([
      projectCatalogApiRef.id,
    ]);
    expect(Object.keys(projectCatalogPlugin.routes).sort()).toEqual([
      'audit',
      'campaigns',
      'createProject',
      'discovery',
    ]);
  });

  it('exports the cards and the pages as components', () => {
    for (const component of [
      CreateProjectPage,
      CampaignsPage,
      DiscoveryPage,
      AuditLogPage,
      EntityProjectOverviewCard,
      EntityQuickLinksCard,
      EntityProjectAuditCard,
      EntityCampaignsCard,
      EntityOnCallCard,
      EntityDeploysCard,
      EntityAlertsCard,
      EntityDoraCard,
    ]) {
      expect(typeof component).toBe('function');
    }
  });
});
