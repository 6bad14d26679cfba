export interface Config {
  dash?: {
    sources?: {
      /**
       * The Grafana source of DASH. `baseUrl` and `token` at the top level are the instance
       * `default`; more instances go under `instances.<key>` and are chosen per entity with the
       * `grafana/instance` annotation.
       */
      grafana?: {
        /** Grafana's URL, e.g. https://grafana.acme.example (the instance `default`). */
        baseUrl?: string;
        /**
         * Service account token, sent as `Authorization: Bearer <token>`.
         * @visibility secret
         */
        token?: string;
        /** Where users open Grafana, when it differs from `baseUrl`. */
        uiBaseUrl?: string;
        /** Dashboards whose annotations are read per fetch. Default 10. */
        maxDashboards?: number;
        /** Alert rules whose state history is read per fetch. Default 20. */
        maxAlertRules?: number;
        /**
         * Seconds one read of the instance's alert rule list serves every entity's fetch
         * (Grafana lists all rules in one answer); 0 reads it for each fetch. Default 60.
         */
        alertRuleListSeconds?: number;
        /** Annotations per request (Grafana's `limit`). Default 200. */
        annotationPageSize?: number;
        /** Requests per annotation query before the rest is skipped with a warning. Default 5. */
        maxPages?: number;
        /**
         * What entity annotations may point the instance `default` (and the instances without
         * their own `allow`) at. Without a list, every selector is trusted with the token (and a
         * warning is logged at startup). `*` is a wildcard.
         */
        allow?: {
          /**
           * Tags a `grafana/dashboard-selector` may ask for; every dashboard it can match must
           * require one of them.
           */
          tags?: string[];
          /** `label=value` patterns a `grafana/alert-label-selector` may use, e.g. `service=*`. */
          alertLabels?: string[];
        };
        instances?: {
          [key: string]: {
            baseUrl: string;
            /** @visibility secret */
            token: string;
            uiBaseUrl?: string;
            /** This instance's lists; each defaults to the top-level one. */
            allow?: { tags?: string[]; alertLabels?: string[] };
          };
        };
      };
    };
  };
}
