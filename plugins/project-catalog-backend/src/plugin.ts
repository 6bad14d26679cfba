import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { projectCatalogPermissions } from '@dash-suite/plugin-project-catalog-common';
import { projectCatalogCampaignChecksExtensionPoint } from '@dash-suite/plugin-project-catalog-node';
import { registerProjectCatalogActions } from './actions';
import { readProjectCatalogSettings } from './config';
import { migrate } from './database/migrations';
import { createRouter } from './router';
import { KnexAuditLog } from './services/AuditLog/AuditLog';
import { AuditRetentionTask } from './services/AuditLog/AuditRetentionTask';
import { WriteAudit } from './services/AuditLog/WriteAudit';
import { createDiscovery } from './services/Discovery/createDiscovery';
import { ProjectService } from './services/ProjectService/ProjectService';
import { CampaignCheckRegistry } from './services/CampaignChecks/CheckRegistry';
import { setUpCampaigns } from './services/CampaignService/setup';
import { KnexProjectStore } from './services/ProjectStore/ProjectStore';
import { readOnCallSettings } from './services/OnCall/config';
import { OnCallPager } from './services/OnCall/OnCallPager';

/**
 * The Project Catalog backend plugin: `/api/project-catalog`. Wiring only: each service and
 * task owns its logic and its config.
 */
export const projectCatalogPlugin = createBackendPlugin({
  pluginId: 'project-catalog',
  register(env) {
    const campaignChecks = new CampaignCheckRegistry();
    env.registerExtensionPoint(projectCatalogCampaignChecksExtensionPoint, {
      addCheckType: type => campaignChecks.add(type),
    });
    // [extension points]

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger } = deps;
        const settings = readProjectCatalogSettings(config);
        const db = await migrate(deps.database);
        const auditLog = new KnexAuditLog(db);
        const writeAudit = new WriteAudit(
          auditLog,
          deps.auditor,
          deps.httpAuth,
        );
        const store = new KnexProjectStore(db, auditLog);
        const projects = new ProjectService({
          store,
          catalog: deps.catalog,
          auth: deps.auth,
          permissions: deps.permissions,
          events: deps.events,
          notifications: deps.notifications,
          logger,
        });
        deps.permissionsRegistry.addPermissions(projectCatalogPermissions);
        await new AuditRetentionTask({
          auditLog,
          retentionMs: settings.auditRetentionMs,
          logger,
        }).schedule(deps.scheduler);

        const discoveryQueue = await createDiscovery({
          config,
          db,
          auditLog,
          projects,
          catalog: deps.catalog,
          auth: deps.auth,
          permissions: deps.permissions,
          scheduler: deps.scheduler,
          logger,
        });
        const campaigns = await setUpCampaigns({
          ...deps,
          db,
          auditLog,
          checks: campaignChecks,
        });
        const onCallPager = new OnCallPager({
          settings: readOnCallSettings(config),
          catalog: deps.catalog,
          permissions: deps.permissions,
          auditLog,
          logger,
        });
        // [services]

        // Actions for AI assistants (MCP): the same service calls, with the caller's credentials.
        registerProjectCatalogActions({
          actionsRegistry: deps.actionsRegistry,
          projects,
          writeAudit,
          appBaseUrl: config.getOptionalString('app.baseUrl'),
        });

        deps.httpRouter.use(
          await createRouter({
            projects,
            auditLog,
            writeAudit,
            catalog: deps.catalog,
            httpAuth: deps.httpAuth,
            auth: deps.auth,
            discoveryQueue,
            ...campaigns,
            onCallPager,
            // [router options]
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/openapi.json',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
