import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    /** The catalog module of Project Catalog (`@dash-suite/plugin-catalog-backend-module-project-catalog`). */
    projectCatalog?: {
      /**
       * How long the module uses its copy of the Project Catalog feed before asking the
       * backend again (one conditional GET, usually a 304). Bounds how stale a replica that
       * missed an announcement can be, and how often each replica calls the backend. Default 5.
       */
      revalidateSeconds?: number;
      /**
       * How often the entity provider re-applies the projects created in the UI, as a fallback
       * to announcements. Default every 5 minutes with a 1 minute timeout; runs on every
       * replica (scope `local`) unless `scope` is set.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
