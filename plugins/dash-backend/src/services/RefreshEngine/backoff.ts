import { DashSourceStatus, MINUTE_MS } from '@dash-suite/plugin-dash-common';

/**
 * How long a failing feed waits before its next upstream call: exponential in the failures in
 * a row, with a cap. Bad credentials, a source that says it is not configured and a target the
 * upstream will not show us (an unknown or private repository answers `not-allowed`) do not fix
 * themselves in seconds, so they start higher and reach a higher cap.
 */
export interface BackoffSettings {
  /** Wait after the first failure; doubles with each failure in a row. */
  initialMs: number;
  /** The longest wait. */
  maxMs: number;
  /** Wait after the first `unauthorized`, `not-configured` or `not-allowed` failure. */
  unauthorizedInitialMs: number;
  /** The longest wait for those. */
  unauthorizedMaxMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = {
  initialMs: 30_000,
  maxMs: 15 * MINUTE_MS,
  unauthorizedInitialMs: 5 * MINUTE_MS,
  unauthorizedMaxMs: 60 * MINUTE_MS,
};

/**
 * The wait before the next attempt after `failures` failures in a row (at least 1), the last
 * one with `status`. A rate limit waits what the upstream asked for (`retryAfterMs`), or the
 * backoff when it did not say.
 */
export function backoffDelayMs(
  settings: BackoffSettings,
  status: DashSourceStatus,
  failures: number,
  retryAfterMs?: number,
): number {
  if (status === 'rate-limited' && retryAfterMs !== undefined) {
    return retryAfterMs;
  }
  const hard =
    status === 'unauthorized' ||
    status === 'not-configured' ||
    status === 'not-allowed';
  const initial = hard ? settings.unauthorizedInitialMs : settings.initialMs;
  const max = hard ? settings.unauthorizedMaxMs : settings.maxMs;
  // 2^30 is far past any cap; bounding the exponent keeps the arithmetic finite.
  const exponent = Math.min(30, Math.max(0, failures - 1));
  return Math.min(max, initial * 2 ** exponent);
}
