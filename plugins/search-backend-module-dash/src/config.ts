import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { DAY_MS } from '@dash-suite/plugin-dash-common';

/** Where the collator's config lives. */
export const CONFIG_KEY = 'search.collators.dash';

/** How long back search keeps DASH events when `retentionDays` is not set. */
export const DEFAULT_RETENTION_DAYS = 30;

/** As Backstage's catalog collator: every ten minutes, shortly after start. */
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 3 },
};

export interface DashCollatorSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Events that started longer ago than this are left out of the index. */
  retentionMs: number;
}

/** `search.collators.dash`: `schedule` and `retentionDays`, with their defaults. */
export function readDashCollatorSettings(
  config: RootConfigService,
): DashCollatorSettings {
  const own = config.getOptionalConfig(CONFIG_KEY);
  const scheduleConfig = own?.getOptionalConfig('schedule');
  let schedule = DEFAULT_SCHEDULE;
  if (scheduleConfig) {
    try {
      schedule =
        readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig);
    } catch (error) {
      throw new Error(`Invalid schedule at ${CONFIG_KEY}.schedule: ${error}`);
    }
  }
  const days =
    own?.getOptionalNumber('retentionDays') ?? DEFAULT_RETENTION_DAYS;
  if (!(days > 0)) {
    throw new Error(
      `${CONFIG_KEY}.retentionDays must be a positive number of days, not ${days}`,
    );
  }
  return { schedule, retentionMs: days * DAY_MS };
}
