export interface Config {
  dash?: {
    sources?: {
      /**
       * The DASH GitHub source. Credentials and API URLs come from `integrations.github`
       * (tokens or GitHub Apps, GitHub Enterprise hosts), never from here.
       */
      github?: {
        /**
         * The `integrations.github` host that repositories live on, unless an entity's
         * `backstage.io/source-location` names another configured integration host.
         * Default `github.com`.
         */
        host?: string;
        /** Pages of 100 read per list (commits, pull requests, ...) per refresh. Default 10. */
        maxPages?: number;
        /** Items per page, 1 to 100. Default 100 (GitHub's maximum: fewest calls). */
        pageSize?: number;
        /** Deployments whose statuses are read per refresh. Default 100. */
        maxDeploymentStatusLookups?: number;
        /** Show workflow runs triggered by pull requests too. Default false. */
        includePullRequestWorkflowRuns?: boolean;
        /**
         * Retries of 5xx answers inside the Octokit client (`@octokit/plugin-retry`). Default 0:
         * the DASH upstream guard retries, with its own timeout per attempt.
         */
        clientRetries?: number;
        /**
         * What entity annotations may point the source at. Without it, every
         * `github.com/project-slug` is read with the backend's credentials (and a warning is
         * logged at startup).
         */
        allow?: {
          /**
           * `owner/repo` patterns, `*` a wildcard, case-insensitive, e.g. `acme/*`. Others are
           * `not-allowed`, in the same words as a repository GitHub answers 404 for.
           */
          repositories?: string[];
        };
      };
    };
  };
}
