import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The DASH collator (`@dash-suite/plugin-search-backend-module-dash`). */
      dash?: {
        /**
         * How often the index of DASH events is rebuilt. Default: every 10 minutes, 3 seconds
         * after start, 15 minutes at most per run.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Events that started longer ago than this many days are not indexed. Default 30. */
        retentionDays?: number;
      };
    };
  };
}
