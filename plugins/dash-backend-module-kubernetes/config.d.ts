export interface Config {
  dash?: {
    sources?: {
      /**
       * The Kubernetes source of DASH. The clusters themselves come from Backstage's Kubernetes
       * configuration (`kubernetes.clusterLocatorMethods`, the entries of `type: 'config'` with
       * `authProvider: 'serviceAccount'`), which this module reads but does not declare: the
       * Kubernetes backend plugin declares it, with `serviceAccountToken` as a secret.
       */
      kubernetes?: {
        /** Set to false to turn the source off while keeping the clusters. Default true. */
        enabled?: boolean;
        /** Names of the clusters DASH reads; default every usable cluster. */
        clusters?: string[];
        /**
         * The `environment` of the rollouts of each cluster, by cluster name (rollouts are merged
         * with GitHub deployments of the same version and environment). Default `production`.
         */
        environments?: { [clusterName: string]: string };
        /** Objects per list request (the API's `limit`). Default 100. */
        pageSize?: number;
        /** Objects read per list (pages of `pageSize`) before the rest is skipped with a warning. Default 500. */
        maxObjects?: number;
        /** How pod trouble is grouped into ranges. */
        podTrouble?: {
          /** Occurrences of one trouble in one workload closer than this are one range. Default 15. */
          mergeGapMinutes?: number;
          /** A CrashLoopBackOff in at least this many pods of a workload is critical. Default 3. */
          criticalPods?: number;
        };
        /**
         * What entity annotations may point DASH at. Without a list, every entity's annotations
         * are trusted with the service account (and a warning is logged at startup).
         */
        allow?: {
          /**
           * Namespaces a `backstage.io/kubernetes-namespace` annotation may name (`*` is a
           * wildcard). With a list, entities without that annotation (all namespaces) are refused.
           */
          namespaces?: string[];
        };
      };
    };
  };
}
