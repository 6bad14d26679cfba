export interface Config {
  dash?: {
    sources?: {
      /**
       * The DASH Kibana source: error-log spikes from Elasticsearch and alerts of Kibana
       * alerting rules.
       */
      kibana?: {
        /** Where the logs are: the Elasticsearch cluster searched for error-log volume. */
        elasticsearch?: {
          /** e.g. https://logs.acme.example:9200 */
          node: string;
          /**
           * An Elasticsearch API key (the base64 `encoded` value).
           * @visibility secret
           */
          apiKey?: string;
          /** Basic auth user, instead of an API key. */
          username?: string;
          /**
           * Basic auth password.
           * @visibility secret
           */
          password?: string;
          /** The client's own timeout per request, a backstop behind the DASH guard's. Default 30000. */
          requestTimeoutMs?: number;
          /** The time field of the log documents. Default `@timestamp`. */
          timestampField?: string;
        };
        /** Kibana: alerting rules, and the UI that deep links open. */
        kibana?: {
          /** API base URL, e.g. https://kibana.acme.example. Without it no rule alerts are shown. */
          baseUrl?: string;
          /**
           * A Kibana API key (the base64 `encoded` value), sent as `Authorization: ApiKey ...`.
           * @visibility secret
           */
          apiKey?: string;
          /** The URL users open Kibana at, when it differs from baseUrl. Default baseUrl. */
          uiBaseUrl?: string;
          /** Kibana space of the rules and data views. Default the default space. */
          spaceId?: string;
          /**
           * Rules of a service are those with this tag; `{name}` is the entity's name and
           * `{namespace}` its namespace. Default `service:{name}`.
           */
          ruleTag?: string;
        };
        /** The rule that turns error-log volume into `log-spike` events. */
        spikes?: {
          /** A bucket needs at least this many errors to be part of a spike. Default 10. */
          minCount?: number;
          /** ... and at least this many times its baseline. Default 3. */
          factor?: number;
          /** The baseline is the median of this many buckets before the spike. Default 12. */
          baselineBuckets?: number;
          /** A spike whose peak reaches this many times the baseline is critical. Default 10. */
          criticalFactor?: number;
        };
        /** Query for entities without `kibana/log-query`. Default `log.level:error`. */
        defaultLogQuery?: string;
        /**
         * What entity annotations may point the source at. Without it, every
         * `kibana/index-pattern` is searched with the backend's credentials (and a warning is
         * logged at startup).
         */
        allow?: {
          /** Patterns the annotation must match as written, `*` a wildcard, e.g. `logs-*`. */
          indexPatterns?: string[];
        };
      };
    };
  };
}
