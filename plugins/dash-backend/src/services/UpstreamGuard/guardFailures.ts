import { UpstreamError } from '@dash-suite/plugin-dash-node';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  TaskCancelledError,
} from 'cockatiel';

/**
 * Which failures a source reports are the upstream's answers rather than its faults: they
 * neither trip the breaker nor get retried. Keyed by every failure status, so a new status
 * cannot be added without deciding.
 */
const ANSWERS_NOT_FAULTS: Record<UpstreamError['status'], boolean> = {
  'rate-limited': true,
  unauthorized: true,
  'not-configured': true,
  'not-allowed': true,
  'timed-out': false,
  error: false,
};

/**
 * Whether a failed call counts against the upstream (trips the breaker, is retried). Rate limits
 * and bad credentials are answers, not faults. Nor is a 4xx that our own request caused (a range
 * too long, an unknown id): it fails that one call, but the upstream is fine and the circuit is
 * shared by every reader, so one bad request must not switch the source off for everyone.
 */
export function isFault(e: Error): boolean {
  return (
    !(UpstreamError.isUpstreamError(e) && ANSWERS_NOT_FAULTS[e.status]) &&
    !(e instanceof BrokenCircuitError) &&
    !isClientError(e)
  );
}

/**
 * What a guarded call's failure says to the source and its readers: an UpstreamError as it is;
 * the guard's own refusals (timeout, open circuit, full queue) as the status they mean; anything
 * else as `error`, named after the source and the call.
 */
export function toUpstreamError(
  e: unknown,
  guard: {
    sourceId: string;
    /** The source, and the call's name when it has one. */
    what: string;
    timeoutMs: number;
    breakerHalfOpenAfterMs: number;
  },
): Error {
  const { what } = guard;
  if (UpstreamError.isUpstreamError(e)) return e;
  // instanceof, not cockatiel's is*Error helpers: in cockatiel 3.2 those brand checks are
  // mixed up (isTaskCancelledError is true for a BulkheadRejectedError).
  if (e instanceof TaskCancelledError) {
    return new UpstreamError(
      'timed-out',
      `${what} did not answer within ${guard.timeoutMs} ms`,
      { cause: e },
    );
  }
  if (e instanceof BrokenCircuitError) {
    return new UpstreamError(
      'error',
      `${
        guard.sourceId
      } failed repeatedly; calls are paused for up to ${Math.round(
        guard.breakerHalfOpenAfterMs / 1000,
      )} s (circuit open)`,
      { cause: e },
    );
  }
  if (e instanceof BulkheadRejectedError) {
    return new UpstreamError(
      'rate-limited',
      `Too many calls to ${guard.sourceId} are queued; try again shortly`,
      { cause: e, retryAfterMs: 1000 },
    );
  }
  const message = e instanceof Error ? e.message : String(e);
  return new UpstreamError('error', `${what} failed: ${message}`, {
    cause: e,
  });
}

/**
 * The HTTP status behind a failure, if it says: `httpStatus` of an UpstreamError, or the numeric
 * `status` (Octokit's RequestError) or `statusCode` (Elasticsearch's ResponseError) of the error
 * or of its causes.
 */
export function httpStatusOf(e: unknown): number | undefined {
  let current: unknown = e;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const candidate = current as {
      httpStatus?: unknown;
      status?: unknown;
      statusCode?: unknown;
    };
    for (const value of [
      candidate.httpStatus,
      candidate.status,
      candidate.statusCode,
    ]) {
      if (typeof value === 'number' && Number.isInteger(value)) return value;
    }
    current = current.cause;
  }
  return undefined;
}

/**
 * Whether the upstream refused the request itself (4xx), as opposed to failing (5xx, timeouts,
 * resets). 401, 403 and 429 are not counted here: they mean credentials and rate limits.
 */
export function isClientError(e: unknown): boolean {
  const status = httpStatusOf(e);
  return (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    ![401, 403, 429].includes(status)
  );
}
