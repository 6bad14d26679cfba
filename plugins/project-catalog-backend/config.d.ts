import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Settings of the Project Catalog backend; every value has a default. */
  projectCatalog?: {
    audit?: {
      /** How long audit entries are kept, in days. Default 400. */
      retentionDays?: number;
    };
    /**
     * Discovery: a scheduled scan that offers the projects the catalog lacks (repositories of
     * GitHub organisations, PagerDuty services no entity names) for review.
     */
    discovery?: {
      /** Scheduled scans and POST /discovery/scan. Default true. */
      enabled?: boolean;
      /**
       * When the scan runs. Default every 6 hours, first 2 minutes after start, timeout 30 min.
       * Example: `{ frequency: { hours: 6 }, timeout: { minutes: 30 } }`.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Timeout of one upstream request, in ms. Default 10000. */
      timeoutMs?: number;
      github?: {
        /**
         * Organisations whose repositories are scanned: `acme` (on github.com) or
         * `ghe.example.com/acme`; credentials come from `integrations.github`. Default: the
         * `allowedInstallationOwners` of the GitHub Apps in `integrations.github`. An empty list
         * turns GitHub discovery off.
         */
        organizations?: string[];
      };
      /** apiBaseUrl, token and uiBaseUrl fall back to those of `dash.sources.pagerduty`. */
      pagerduty?: {
        /** Default true; false turns PagerDuty discovery off. */
        enabled?: boolean;
        /** Default https://api.pagerduty.com. */
        apiBaseUrl?: string;
        /**
         * A read-only REST API key.
         * @visibility secret
         */
        token?: string;
        /** PagerDuty's web address, for links when a service has no html_url. */
        uiBaseUrl?: string;
      };
    };
  };
}
