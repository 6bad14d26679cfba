import { AuthService, HttpAuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { auditRouter } from './routes/audit';
import { campaignsRouter } from './routes/campaigns';
import { catalogFeedRouter } from './routes/catalogFeed';
import { discoveryRouter } from './routes/discovery';
import { onCallRouter } from './routes/oncall';
import { projectsRouter } from './routes/projects';
import { buildOpenApiDocument } from './schema/openapi';
import { AuditLog } from './services/AuditLog/AuditLog';
import { WriteAudit } from './services/AuditLog/WriteAudit';
import { CampaignEntityService } from './services/CampaignService/CampaignEntityService';
import { CampaignService } from './services/CampaignService/CampaignService';
import { DiscoveryQueue } from './services/Discovery/DiscoveryQueue';
import { OnCallPager } from './services/OnCall/OnCallPager';
import { ProjectService } from './services/ProjectService/ProjectService';

export interface RouterOptions {
  projects: ProjectService;
  auditLog: AuditLog;
  writeAudit: WriteAudit;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  discoveryQueue: DiscoveryQueue;
  campaigns: CampaignService;
  campaignEntities: CampaignEntityService;
  onCallPager: OnCallPager;
  // [router option types]
}

/** `/api/project-catalog`: one router per feature, each parsing its input with zod. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  const openApi = buildOpenApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  router.use(projectsRouter(options));
  router.use(auditRouter(options));
  router.use(catalogFeedRouter(options));
  router.use(discoveryRouter(options));
  router.use(campaignsRouter(options));
  router.use(onCallRouter(options));
  // [feature routers]

  return router;
}
