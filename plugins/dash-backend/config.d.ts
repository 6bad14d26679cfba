import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Settings of the DASH backend; every value has a default. */
  dash?: {
    refresh?: {
      /** How long a request waits for a cold feed before answering with what is stored. Default 2500. */
      maxWaitMs?: number;
      /** How long a fetch stays fresh, unless a source says otherwise. Default 60. */
      freshnessSeconds?: number;
      /**
       * Freshness while a page is in live mode (an ongoing incident). A live poll refreshes the
       * feeds older than three quarters of this before it answers (waiting at most `maxWaitMs`,
       * then answering with what is stored), so that a tab polling every
       * `dash.ui.livePollSeconds` (15) shows a new upstream event at its next poll. Still one
       * refresh per feed at a time, whatever the number of viewers. Default 15.
       */
      liveFreshnessSeconds?: number;
      /** How far back an incremental fetch re-reads to catch updates. Default 360 (6 h). */
      overlapMinutes?: number;
      /**
       * Lease length across replicas. Default 60. A running refresh renews its lease every
       * third of it, so a slow upstream does not let a second replica refresh the same feed.
       */
      leaseSeconds?: number;
      /**
       * Per-feed backoff after failed fetches: no upstream call for that (source, entity) until
       * the next attempt; exponential (doubling) with a cap, reset by a success. Rate limits
       * wait what the upstream's Retry-After says instead.
       */
      backoff?: {
        /** Wait after the first failure. Default 30. */
        initialSeconds?: number;
        /** Longest wait. Default 900 (15 min). */
        maxSeconds?: number;
        /** Wait after the first `unauthorized` or `not-configured` failure. Default 300. */
        unauthorizedInitialSeconds?: number;
        /** Longest wait for those. Default 3600 (1 h). */
        unauthorizedMaxSeconds?: number;
      };
      /** Scheduled pre-warming of entities that carry source annotations. */
      prewarm?: {
        /** Default true. */
        enabled?: boolean;
        /** Default every 5 minutes. */
        frequency?: HumanDuration;
        /** Window fetched for a cold feed. Default 24 hours. */
        windowHours?: number;
        /** Feeds refreshed at once per source (each source has its own workers). Default 2. */
        concurrency?: number;
        /** Seconds after the backend starts before the first run. Default 15. */
        initialDelaySeconds?: number;
      };
      /**
       * Entities shown by DASH tabs in live mode that listen for Backstage Signals (`push=true`
       * on the timeline request): the backend refreshes their feeds itself, within each
       * source's spare budget, and signals the tabs when a refresh stores new or updated events.
       */
      liveWatch?: {
        /** Seconds between refreshes of a watched entity's feeds; 0 turns the watch off. Default 2. */
        intervalSeconds?: number;
        /** An entity stays watched this long after the last live request for it. Default 150. */
        ttlSeconds?: number;
        /** Most entities watched at once. Default 50. */
        maxEntities?: number;
      };
    };
    /** Events older than this are deleted by a daily job. Default 90. */
    retentionDays?: number;
    /** The daily retention job (`dash-retention`). */
    retention?: {
      /** Rows per delete statement. Default 1000. */
      batchSize?: number;
      /** Most delete statements per run; what is left waits for the next run. Default 1000. */
      maxBatchesPerRun?: number;
      /**
       * Delete the feeds and fetched events of entities that are no longer in the catalog
       * (posted change events stay until they age out). Default true.
       */
      pruneDeletedEntities?: boolean;
    };
    /** Widest window a request may ask for. Default 31. */
    maxWindowDays?: number;
    /** Most events one timeline answer carries; the newest are kept. Default 20000. */
    maxEvents?: number;
    /**
     * How long an entity read from the catalog with a caller's credentials is reused for that
     * caller (access and dependencies). Default 10; 0 reads the catalog on every request.
     */
    entityCacheSeconds?: number;
    /**
     * Timeline answers shared between callers. Every request still checks the caller's access
     * and makes the feeds fresh enough; requests that would compute the same answer (same
     * readable entities, window, filters, feed states and stored events) share one computation
     * and its serialized, compressed body, answered `304` to `If-None-Match`.
     */
    answerCache?: {
      /**
       * How long a computed answer is reused while nothing it depends on changed in this
       * process; it also bounds how long a change stored by another backend process goes
       * unseen. Default 5; 0 shares only concurrent requests.
       */
      ttlSeconds?: number;
      /** Most answers kept (the least recently used go first). Default 100. */
      maxEntries?: number;
      /**
       * A window that ends at about now ends at the next multiple of this instead, so that
       * viewers opening a tab seconds apart share one answer. Default 60; 0 turns it off.
       */
      alignNowSeconds?: number;
      /**
       * How long the feed states of a set of entities (read on every request, to tell whether
       * the stored answer is current and to show each source's status) are reused while this
       * process records nothing about those feeds. It bounds how late this process sees a
       * refresh recorded by another backend process, a feed turning stale with time, or a
       * database outage. Never longer than `ttlSeconds`. Default 1; 0 shares only concurrent
       * requests.
       */
      feedStatesSeconds?: number;
    };
    correlation?: {
      /** How far before an incident's onset to look for changes. Default 24. */
      lookbackHours?: number;
      /**
       * How far before the page the problem's onset (its first sign of trouble that runs into
       * it) may lie. Default 12.
       */
      maxOnsetLeadHours?: number;
      /** Candidates scoring less are noise. Default 0.1. */
      minScore?: number;
    };
    /** Guard defaults for every source; override per source under `dash.sources.<id>.guard`. */
    guard?: DashGuardConfig;
    /** Per-source settings of the refresh engine; the modules read their own settings here too. */
    sources?: {
      [sourceId: string]: {
        freshnessSeconds?: number;
        guard?: DashGuardConfig;
      };
    };
  };
}

export interface DashGuardConfig {
  /** Per attempt. Default 10000. */
  timeoutMs?: number;
  /** Retries of idempotent reads. Default 2. */
  retries?: number;
  /** Consecutive failures that open the circuit. Default 5. */
  breakerThreshold?: number;
  /** Seconds the circuit stays open. Default 30. */
  breakerHalfOpenAfterSeconds?: number;
  /** Calls in flight at once. Default 4. */
  concurrency?: number;
  /** Calls waiting for a slot. Default 100. */
  queue?: number;
  /**
   * Rate budget; no budget when unset. PagerDuty allows 960 per minute per key: 800 keeps any
   * minute under it, burst included; GitHub 5,000 per hour: 80.
   */
  requestsPerMinute?: number;
  /**
   * Calls the budget allows at once after a quiet spell (the token bucket's capacity). Default
   * a sixth of `requestsPerMinute`. Background work (pre-warming, the live watch) leaves half of
   * it to user requests.
   */
  burst?: number;
}
