import {
  AuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { GithubCredentialsProvider } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';
import { AuditLog } from '../AuditLog/AuditLog';
import { ProjectService } from '../ProjectService/ProjectService';
import { loadCatalogIndex } from './CatalogIndex';
import { readDiscoverySettings } from './config';
import { DiscoveryQueue } from './DiscoveryQueue';
import { KnexDiscoveryStore } from './DiscoveryStore';
import { DiscoveryTask } from './DiscoveryTask';
import { GithubScanner } from './GithubScanner';
import { PagerDutyScanner } from './PagerDutyScanner';

/**
 * Discovery, built from config and scheduled: the store, the GitHub and PagerDuty scanners, the
 * scan task and the review service the routes use. A wrong value in `projectCatalog.discovery`
 * stops the backend with the key's name; a missing credential only marks that upstream
 * `not-configured`.
 */
export async function createDiscovery(options: {
  config: Config;
  db: Knex;
  auditLog: AuditLog;
  projects: ProjectService;
  catalog: CatalogService;
  auth: AuthService;
  permissions: PermissionsService;
  scheduler: SchedulerService;
  logger: LoggerService;
  /** Replaces the credentials from `integrations.github` (tests). */
  githubCredentials?: GithubCredentialsProvider;
}): Promise<DiscoveryQueue> {
  const { config, projects, logger } = options;
  const settings = readDiscoverySettings(config);
  const store = new KnexDiscoveryStore(options.db, options.auditLog);
  const task = new DiscoveryTask({
    settings,
    store,
    scanners: [
      new GithubScanner(config, settings, logger, options.githubCredentials),
      new PagerDutyScanner(settings),
    ],
    loadIndex: () =>
      loadCatalogIndex({
        catalog: options.catalog,
        auth: options.auth,
        feed: () => projects.feed(),
      }),
    logger,
  });
  await task.schedule(options.scheduler);
  return new DiscoveryQueue({
    store,
    task,
    projects,
    permissions: options.permissions,
    auditLog: options.auditLog,
  });
}
