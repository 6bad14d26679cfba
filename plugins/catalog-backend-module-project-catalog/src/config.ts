import {
  LoggerService,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { DEFAULT_PROVIDER_SCHEDULE } from './ProjectCatalogEntityProvider';

/** Where the module's settings live in app-config. */
export const CONFIG_ROOT = 'catalog.projectCatalog';
/** How long the feed is used before the next conditional GET, by default. */
export const DEFAULT_REVALIDATE_SECONDS = 5;

/** The module's settings, read once at startup. */
export interface ProjectCatalogModuleSettings {
  revalidateMs: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/**
 * Reads `catalog.projectCatalog`. Never throws: a bad value is reported with its key and the
 * default is used, so that a typo never stops the catalog.
 */
export function readProjectCatalogModuleSettings(
  config: RootConfigService,
  logger: LoggerService,
): ProjectCatalogModuleSettings {
  const root = config.getOptionalConfig(CONFIG_ROOT);

  let revalidateSeconds = DEFAULT_REVALIDATE_SECONDS;
  try {
    const value = root?.getOptionalNumber('revalidateSeconds');
    if (value !== undefined) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new Error(`must be a positive number of seconds, got ${value}`);
      }
      revalidateSeconds = value;
    }
  } catch (error) {
    logger.warn(
      `Invalid ${CONFIG_ROOT}.revalidateSeconds (${error}); using ${DEFAULT_REVALIDATE_SECONDS}`,
    );
  }

  let schedule = DEFAULT_PROVIDER_SCHEDULE;
  const scheduleConfig = root?.getOptionalConfig('schedule');
  if (scheduleConfig) {
    try {
      schedule =
        readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig);
    } catch (error) {
      logger.warn(
        `Invalid ${CONFIG_ROOT}.schedule (${error}); using every 5 minutes`,
      );
    }
  }

  return { revalidateMs: Math.round(revalidateSeconds * 1000), schedule };
}
