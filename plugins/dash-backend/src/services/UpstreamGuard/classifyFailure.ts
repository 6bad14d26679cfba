import { DashSourceStatus } from '@dash-suite/plugin-dash-common';
import { UpstreamError } from '@dash-suite/plugin-dash-node';

/** A failed call to a source, as the status a reader sees. */
export interface ClassifiedFailure {
  status: DashSourceStatus;
  message: string;
  /** How long the upstream asked us to wait, when it said. */
  retryAfterMs?: number;
}

/**
 * What a source's failure means for its readers: an `UpstreamError` keeps its status
 * (`rate-limited`, `timed-out`, `unauthorized`, …) and `Retry-After`; anything else is `error`.
 */
export function classifyFailure(e: unknown): ClassifiedFailure {
  if (UpstreamError.isUpstreamError(e)) {
    return {
      status: e.status,
      message: e.message,
      retryAfterMs: e.retryAfterMs,
    };
  }
  return {
    status: 'error',
    message: e instanceof Error ? e.message : String(e),
  };
}
