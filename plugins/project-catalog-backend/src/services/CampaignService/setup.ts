import {
  AuthService,
  DiscoveryService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { DashClient } from '@dash-suite/plugin-dash-common';
import { AuditLog } from '../AuditLog/AuditLog';
import { CampaignCheckRegistry } from '../CampaignChecks/CheckRegistry';
import { GithubContentsClient } from '../CampaignChecks/GithubContentsClient';

import { dashFactCheck } from '../CampaignChecks/dashFact';
import { entityFieldCheck } from '../CampaignChecks/entityField';
import { manualCheck } from '../CampaignChecks/manual';
import { repositoryFileCheck } from '../CampaignChecks/repositoryFile';
import { CampaignEvaluator } from '../CampaignEvaluator/CampaignEvaluator';
import { CampaignEvaluatorTask } from '../CampaignEvaluator/CampaignEvaluatorTask';
import { CampaignNotifier } from '../CampaignEvaluator/CampaignNotifier';
import { KnexCampaignStatusStore } from '../CampaignStore/CampaignStatusStore';
import { KnexCampaignStore } from '../CampaignStore/CampaignStore';
import { CampaignEntityService } from './CampaignEntityService';
import { CampaignService } from './CampaignService';
import { applyConfigCampaigns } from './configCampaigns';
import { readCampaignSettings } from './settings';

/** What the campaigns routes need. */
export interface Campaigns {
  campaigns: CampaignService;
  campaignEntities: CampaignEntityService;
  evaluator: CampaignEvaluator;
}

/**
 * Sets campaigns up: the built-in check types next to those modules added, the stores, the
 * evaluator and its scheduled task, and the campaigns declared in config.
 */
export async function setUpCampaigns(deps: {
  config: Config;
  logger: LoggerService;
  db: Knex;
  auth: AuthService;
  discovery: DiscoveryService;
  catalog: CatalogService;
  permissions: PermissionsService;
  notifications: NotificationService;
  scheduler: SchedulerService;
  auditLog: AuditLog;
  /** Holds the check types that modules added through the extension point. */
  checks: CampaignCheckRegistry;
}): Promise<Campaigns> {
  const { config, logger, checks } = deps;
  const settings = readCampaignSettings(config);
  const github = GithubContentsClient.fromConfig(config, {
    settings: settings.github,
    logger,
  });
  checks.add(entityFieldCheck);
  checks.add(repositoryFileCheck(github));
  checks.add(dashFactCheck(DashClient.forService(deps)));
  checks.add(manualCheck);

  const store = new KnexCampaignStore(deps.db, deps.auditLog);
  const statuses = new KnexCampaignStatusStore(deps.db, deps.auditLog);
  const evaluator = new CampaignEvaluator({
    campaigns: store,
    statuses,
    checks,
    catalog: deps.catalog,
    auth: deps.auth,
    notifier: new CampaignNotifier({
      statuses,
      notifications: deps.notifications,
      logger,
      deadlineWarningMs: settings.deadlineWarningMs,
      enabled: settings.notify,
    }),
    logger,
    concurrency: settings.concurrency,
    checkTimeoutMs: settings.checkTimeoutMs,
  });
  const campaigns = new CampaignService({
    store,
    statuses,
    checks,
    evaluator,
    permissions: deps.permissions,
    auditLog: deps.auditLog,
    logger,
  });
  await applyConfigCampaigns({
    definitions: settings.definitions,
    store,
    service: campaigns,
    logger,
  });
  await new CampaignEvaluatorTask({
    evaluator,
    schedule: settings.schedule,
    logger,
  }).schedule(deps.scheduler);
  return {
    campaigns,
    campaignEntities: new CampaignEntityService({
      store,
      statuses,
      catalog: deps.catalog,
      permissions: deps.permissions,
    }),
    evaluator,
  };
}
