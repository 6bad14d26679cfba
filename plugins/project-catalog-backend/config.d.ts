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
    /**
     * Page on-call: `POST /projects/:kind/:namespace/:name/page` opens a PagerDuty incident
     * through the Events API v2 (permission `project-catalog.oncall.page`).
     */
    onCall?: {
      /** The Events API v2. Default https://events.pagerduty.com (`/v2/enqueue` is added). */
      eventsBaseUrl?: string;
      /** Timeout of one upstream request, in ms. Default 10000. */
      timeoutMs?: number;
      /**
       * The REST API account that finds the Events API v2 key of the service an entity's
       * `pagerduty.com/service-id` names (entities with `pagerduty.com/integration-key` need
       * none). Each value falls back to `dash.sources.pagerduty`.
       */
      pagerduty?: {
        /** Default https://api.pagerduty.com. */
        apiBaseUrl?: string;
        /**
         * A read-only REST API key.
         * @visibility secret
         */
        token?: string;
        /** PagerDuty's web address, for the link to the paged service. */
        uiBaseUrl?: string;
      };
    };
    /** Migration campaigns: the evaluator, its checks and the campaigns declared here. */
    campaigns?: {
      /**
       * When the evaluator runs. Default every 30 minutes, first 30 s after start, timeout
       * 20 minutes. Example: `{ frequency: { minutes: 30 }, timeout: { minutes: 20 } }`.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Entities checked at once per campaign. Default 4, at most 64. */
      concurrency?: number;
      /** How long one check of one entity may take, in seconds. Default 30. */
      checkTimeoutSeconds?: number;
      /** How many days before the deadline owners of entities not done are told. Default 7. */
      deadlineWarningDays?: number;
      notifications?: {
        /** Backstage notifications to owners (start, deadline, regression). Default true. */
        enabled?: boolean;
      };
      /** The repository-file check: GitHub through `integrations.github`. */
      github?: {
        /** The `integrations.github` host of the repositories. Default github.com. */
        host?: string;
        /** Requests per minute that campaign checks may make. Default 300. */
        requestsPerMinute?: number;
        /** Requests of GitHub's hourly limit that checks leave to other plugins. Default 500. */
        reserve?: number;
        /** How long a check may wait for the budget, in seconds. Default 10. */
        maxWaitSeconds?: number;
        /** Retries of 5xx answers. Default 2. */
        retries?: number;
      };
      /**
       * Campaigns owned by config: created or updated at startup, deleted when removed here,
       * read-only in the UI.
       */
      definitions?: Array<{
        /** Lower-case letters, digits and dashes, e.g. `ci-node-22`. */
        id: string;
        title: string;
        description?: string;
        /** The group that runs the campaign, e.g. `group:default/team-platform`. */
        owner: string;
        /** ISO 8601 date or date-time, e.g. `2026-12-01`. */
        startsAt: string;
        /** ISO 8601 date or date-time, after startsAt. */
        deadline: string;
        /** Keys AND, values OR; at least one key. */
        scope: {
          kind?: string[];
          type?: string[];
          tags?: string[];
          owner?: string[];
          system?: string[];
          lifecycle?: string[];
        };
        /** A check type (`entity-field`, `repository-file`, `dash-fact`, `manual`) and its settings. */
        check: {
          type: string;
          config?: { [key: string]: unknown };
        };
      }>;
    };
  };
}
