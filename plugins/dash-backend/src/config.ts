import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@dash-suite/plugin-dash-common';
import {
  CorrelatorOptions,
  DEFAULT_CORRELATOR_OPTIONS,
} from './services/Correlator/Correlator';
import {
  DEFAULT_LIVE_WATCH,
  LiveWatchSettings,
} from './services/LiveWatch/LiveWatch';
import {
  BackoffSettings,
  DEFAULT_BACKOFF,
} from './services/RefreshEngine/backoff';

export interface GuardSettings {
  timeoutMs: number;
  retries: number;
  breakerThreshold: number;
  breakerHalfOpenAfterMs: number;
  concurrency: number;
  queue: number;
  requestsPerMinute?: number;
  /** Token-bucket capacity: calls at once after a quiet spell (default a sixth of a minute's). */
  burst?: number;
}

export interface DashSettings {
  maxWaitMs: number;
  freshnessMs: (sourceId: string) => number;
  /** Freshness asked for by live mode. */
  liveFreshnessMs: number;
  overlapMs: number;
  leaseMs: number;
  /** Per-feed backoff after failed fetches (`dash.refresh.backoff`). */
  backoff: BackoffSettings;
  /** `dash.refresh.liveWatch`: feeds of entities watched by live tabs with Signals. */
  liveWatch: LiveWatchSettings;
  prewarm: {
    enabled: boolean;
    frequency: HumanDuration;
    windowMs: number;
    concurrency: number;
    /** How long after the backend starts the first run begins. */
    initialDelayMs: number;
  };
  maxWindowMs: number;
  /** Most events one timeline answer carries. */
  maxEvents: number;
  /** How long an entity read from the catalog (per caller) is reused. */
  entityCacheMs: number;
  /** `dash.answerCache`: timeline answers shared between callers. */
  answerCache: {
    ttlMs: number;
    maxEntries: number;
    alignNowMs: number;
    /** How long a read of feed states is reused; never longer than `ttlMs`. */
    feedStatesMs: number;
  };
  correlator: CorrelatorOptions;
  guard: (sourceId: string) => GuardSettings;
}

/**
 * A number of at least 0 at `key` of `config` (which sits at `path` in the root config), or
 * `fallback` when it is not set; throws with the full key on a bad value.
 */
export function readNonNegative(
  config: Config,
  key: string,
  fallback: number,
  path: string,
): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(
      `Invalid config: ${path}.${key} must be a number of at least 0, got ${value}`,
    );
  }
  return value;
}

function readBurst(config: Config, path: string): number | undefined {
  const burst = config.getOptionalNumber('burst');
  if (burst !== undefined && !(Number.isInteger(burst) && burst >= 1)) {
    throw new Error(
      `${path}.burst must be a whole number of calls, at least 1; got ${burst}`,
    );
  }
  return burst;
}

function readGuard(
  config: Config | undefined,
  path: string,
  base: GuardSettings,
): GuardSettings {
  if (!config) return base;
  const get = (key: string, fallback: number) =>
    readNonNegative(config, key, fallback, path);
  return {
    timeoutMs: get('timeoutMs', base.timeoutMs),
    retries: get('retries', base.retries),
    breakerThreshold: get('breakerThreshold', base.breakerThreshold),
    breakerHalfOpenAfterMs:
      get('breakerHalfOpenAfterSeconds', base.breakerHalfOpenAfterMs / 1000) *
      1000,
    concurrency: Math.max(1, get('concurrency', base.concurrency)),
    queue: get('queue', base.queue),
    requestsPerMinute:
      config.getOptionalNumber('requestsPerMinute') ?? base.requestsPerMinute,
    burst: readBurst(config, path) ?? base.burst,
  };
}

/** Reads `dash.*` with defaults; throws with the key's name on a bad value. */
export function readDashSettings(root: Config): DashSettings {
  const config = root.getOptionalConfig('dash');
  const get = (key: string, fallback: number) =>
    config ? readNonNegative(config, key, fallback, 'dash') : fallback;
  const defaultFreshnessMs = get('refresh.freshnessSeconds', 60) * 1000;
  const answerTtlMs = get('answerCache.ttlSeconds', 5) * 1000;
  const defaultGuard = readGuard(
    config?.getOptionalConfig('guard'),
    'dash.guard',
    {
      timeoutMs: 10_000,
      retries: 2,
      breakerThreshold: 5,
      breakerHalfOpenAfterMs: 30_000,
      concurrency: 4,
      queue: 100,
    },
  );
  const frequencyConfig = config?.getOptionalConfig(
    'refresh.prewarm.frequency',
  );
  const freshness = new Map<string, number>();
  return {
    maxWaitMs: get('refresh.maxWaitMs', 2500),
    // Asked for every feed of every request: read once per source.
    freshnessMs: sourceId => {
      let ms = freshness.get(sourceId);
      if (ms === undefined) {
        ms = config?.has(`sources.${sourceId}.freshnessSeconds`)
          ? get(`sources.${sourceId}.freshnessSeconds`, 60) * 1000
          : defaultFreshnessMs;
        freshness.set(sourceId, ms);
      }
      return ms;
    },
    liveFreshnessMs: get('refresh.liveFreshnessSeconds', 15) * 1000,
    overlapMs: get('refresh.overlapMinutes', 360) * MINUTE_MS,
    leaseMs: get('refresh.leaseSeconds', 60) * 1000,
    backoff: {
      initialMs:
        get(
          'refresh.backoff.initialSeconds',
          DEFAULT_BACKOFF.initialMs / 1000,
        ) * 1000,
      maxMs:
        get('refresh.backoff.maxSeconds', DEFAULT_BACKOFF.maxMs / 1000) * 1000,
      unauthorizedInitialMs:
        get(
          'refresh.backoff.unauthorizedInitialSeconds',
          DEFAULT_BACKOFF.unauthorizedInitialMs / 1000,
        ) * 1000,
      unauthorizedMaxMs:
        get(
          'refresh.backoff.unauthorizedMaxSeconds',
          DEFAULT_BACKOFF.unauthorizedMaxMs / 1000,
        ) * 1000,
    },
    liveWatch: {
      intervalMs:
        get(
          'refresh.liveWatch.intervalSeconds',
          DEFAULT_LIVE_WATCH.intervalMs / 1000,
        ) * 1000,
      ttlMs:
        get('refresh.liveWatch.ttlSeconds', DEFAULT_LIVE_WATCH.ttlMs / 1000) *
        1000,
      maxEntities: get(
        'refresh.liveWatch.maxEntities',
        DEFAULT_LIVE_WATCH.maxEntities,
      ),
    },
    prewarm: {
      enabled: config?.getOptionalBoolean('refresh.prewarm.enabled') ?? true,
      frequency: frequencyConfig
        ? readDurationFromConfig(frequencyConfig)
        : { minutes: 5 },
      windowMs: get('refresh.prewarm.windowHours', 24) * HOUR_MS,
      concurrency: Math.max(1, get('refresh.prewarm.concurrency', 2)),
      initialDelayMs: get('refresh.prewarm.initialDelaySeconds', 15) * 1000,
    },
    maxWindowMs: get('maxWindowDays', 31) * DAY_MS,
    maxEvents: Math.max(1, get('maxEvents', 20_000)),
    entityCacheMs: get('entityCacheSeconds', 10) * 1000,
    answerCache: {
      ttlMs: answerTtlMs,
      maxEntries: Math.max(1, get('answerCache.maxEntries', 100)),
      alignNowMs: get('answerCache.alignNowSeconds', 60) * 1000,
      feedStatesMs: Math.min(
        get('answerCache.feedStatesSeconds', 1) * 1000,
        answerTtlMs,
      ),
    },
    correlator: {
      ...DEFAULT_CORRELATOR_OPTIONS,
      lookbackMs: get('correlation.lookbackHours', 24) * HOUR_MS,
      maxOnsetLeadMs: get('correlation.maxOnsetLeadHours', 12) * HOUR_MS,
      minScore: get(
        'correlation.minScore',
        DEFAULT_CORRELATOR_OPTIONS.minScore,
      ),
    },
    guard: sourceId =>
      readGuard(
        config?.getOptionalConfig(`sources.${sourceId}.guard`),
        `dash.sources.${sourceId}.guard`,
        defaultGuard,
      ),
  };
}
