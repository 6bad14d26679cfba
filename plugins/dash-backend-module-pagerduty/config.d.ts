export interface Config {
  dash?: {
    sources?: {
      /**
       * The PagerDuty source of DASH. The top-level `token` (with `apiBaseUrl` and `uiBaseUrl`)
       * is the default account; entities annotated `pagerduty.com/account: <name>` use
       * `accounts.<name>` instead. The rate budget lives under `guard` (read by the DASH backend):
       * PagerDuty allows 960 requests per minute per key, so set `guard.requestsPerMinute: 800`
       * (with the default burst of a sixth of it, no minute goes over 960).
       */
      pagerduty?: {
        /** REST API base URL. Default https://api.pagerduty.com. */
        apiBaseUrl?: string;
        /**
         * REST API key (read-only is enough).
         * @visibility secret
         */
        token?: string;
        /** `token` (default, `Token token=<key>`) or `bearer` (OAuth access tokens). */
        tokenType?: 'token' | 'bearer';
        /** Web UI base URL for links that the API does not return, e.g. https://acme.pagerduty.com. */
        uiBaseUrl?: string;
        /**
         * How long @pagerduty/pdjs waits before it retries a 429 itself (it retries up to 3 times
         * inside one call). Default: a tenth of the guard's timeout, at most 1000; never more than a
         * quarter of the guard's timeout, so that the guard sees the 429 before it gives up.
         */
        retryTimeoutMs?: number;
        /** Pages of 100 read per list and fetch before the rest is skipped with a warning. Default 10. */
        maxPages?: number;
        /** Incidents whose log entries are read per fetch; the rest wait for the next fetch. Default 50. */
        maxLogEntryIncidents?: number;
        /**
         * What entity annotations may point the default account at (and the accounts without
         * their own `allow`). Without it, every `pagerduty.com/service-id` is read with the token
         * (and a warning is logged at startup).
         */
        allow?: {
          /** Service ids, `*` a wildcard, case-insensitive, e.g. `[PABC123, PPAY*]`. */
          services?: string[];
        };
        /** More PagerDuty accounts, chosen per entity with the `pagerduty.com/account` annotation. */
        accounts?: {
          [name: string]: {
            /** Default: the top-level apiBaseUrl, else https://api.pagerduty.com. */
            apiBaseUrl?: string;
            /** @visibility secret */
            token?: string;
            tokenType?: 'token' | 'bearer';
            uiBaseUrl?: string;
            /** This account's service ids; default the top-level `allow`. */
            allow?: { services?: string[] };
          };
        };
      };
    };
  };
}
