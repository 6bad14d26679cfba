import { LoggerService } from '@backstage/backend-plugin-api';
import { MINUTE_MS } from '@dash-suite/plugin-dash-common';
import { UpstreamCaller, UpstreamError } from '@dash-suite/plugin-dash-node';
import {
  BulkheadPolicy,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IPolicy,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import { isFault, toUpstreamError } from './guardFailures';
import { TokenBucket } from './TokenBucket';

export interface UpstreamGuardOptions {
  sourceId: string;
  logger: LoggerService;
  /** Per attempt. */
  timeoutMs: number;
  /** Retries after the first attempt, for idempotent calls only. */
  retries: number;
  /** Base delay of the jittered exponential backoff between retries. */
  retryBaseDelayMs: number;
  /** Consecutive failures that open the circuit. */
  breakerThreshold: number;
  /** How long the circuit stays open before one trial call. */
  breakerHalfOpenAfterMs: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Calls waiting for a slot; more are refused at once. */
  queue: number;
  /** Rate budget; undefined for none. */
  requestsPerMinute?: number;
  /** Token-bucket capacity (default a sixth of `requestsPerMinute`). */
  burst?: number;
  /** The longest a call waits for the rate budget before giving up as rate limited. */
  maxBudgetWaitMs: number;
  clock?: () => number;
  /** Waits `ms` (a patient call waiting for its token); tests pass one that moves their clock. */
  sleep?: (ms: number) => Promise<void>;
}

/** How often background work looks again while the circuit's probe call runs. */
const HALF_OPEN_POLL_MS = 1000;
/** Pause used when an upstream says "rate limited" without saying for how long. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = MINUTE_MS;

/**
 * Everything between a source and its upstream: bounded concurrency (bulkhead), retries with
 * jittered exponential backoff for idempotent reads, a circuit breaker, a per-attempt timeout,
 * and a token-bucket rate budget that also obeys `Retry-After` and rate-limit headers. Composed
 * from cockatiel's policies; only the rate budget is ours.
 */
export class UpstreamGuard implements UpstreamCaller {
  private readonly bucket?: TokenBucket;
  private readonly clock: () => number;
  private pausedUntilMs = 0;
  /** When the circuit last opened (this guard's clock). */
  private openedAtMs = 0;
  private readonly bulkheadPolicy: BulkheadPolicy;
  private readonly breakerPolicy: CircuitBreakerPolicy;
  private readonly idempotentPolicy: IPolicy;
  private readonly oncePolicy: IPolicy;
  private calls = 0;

  constructor(private readonly options: UpstreamGuardOptions) {
    this.clock = options.clock ?? Date.now;
    if (options.requestsPerMinute) {
      this.bucket = new TokenBucket(
        options.requestsPerMinute,
        options.burst,
        this.clock,
      );
    }
    this.bulkheadPolicy = bulkhead(options.concurrency, options.queue);
    this.breakerPolicy = circuitBreaker(handleWhen(isFault), {
      halfOpenAfter: options.breakerHalfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    this.breakerPolicy.onStateChange(state => {
      if (state === CircuitState.Open) this.openedAtMs = this.clock();
      options.logger.warn(
        `Circuit for source ${options.sourceId} is now ${CircuitState[
          state
        ].toLowerCase()}`,
      );
    });
    const perAttemptTimeout = timeout(
      options.timeoutMs,
      TimeoutStrategy.Aggressive,
    );
    const retryPolicy = retry(handleWhen(isFault), {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({
        initialDelay: options.retryBaseDelayMs,
        maxDelay: options.retryBaseDelayMs * 16,
      }),
    });
    this.idempotentPolicy = wrap(
      this.bulkheadPolicy,
      retryPolicy,
      this.breakerPolicy,
      perAttemptTimeout,
    );
    this.oncePolicy = wrap(
      this.bulkheadPolicy,
      this.breakerPolicy,
      perAttemptTimeout,
    );
  }

  call<T>(
    fn: (signal: AbortSignal) => Promise<T>,
    options?: { idempotent?: boolean; name?: string },
  ): Promise<T> {
    return this.run(fn, options, false);
  }

  /**
   * This guard for background work (pre-warming) that may wait until `untilMs`: each call
   * first waits for its token outside the concurrency limit, so it neither fails after a user
   * request's short wait nor holds a slot that user requests need while it waits.
   */
  patient(untilMs: number): UpstreamCaller {
    return {
      call: async (fn, options) => {
        await this.awaitToken(untilMs);
        return this.run(fn, options, true);
      },
      observeRateLimit: info => this.observeRateLimit(info),
    };
  }

  private async run<T>(
    fn: (signal: AbortSignal) => Promise<T>,
    options: { idempotent?: boolean; name?: string } | undefined,
    prepaid: boolean,
  ): Promise<T> {
    const policy =
      options?.idempotent === false ? this.oncePolicy : this.idempotentPolicy;
    // A patient call's first attempt has its token already; retries take their own.
    let paid = prepaid;
    try {
      return await policy.execute(async ({ signal }) => {
        if (paid) paid = false;
        else await this.takeBudget(signal);
        this.calls += 1;
        try {
          return await fn(signal);
        } catch (e) {
          if (UpstreamError.isUpstreamError(e) && e.status === 'rate-limited') {
            this.pause(e.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS);
          }
          throw e;
        }
      });
    } catch (e) {
      throw toUpstreamError(e, {
        ...this.options,
        what: options?.name
          ? `${this.options.sourceId} ${options.name}`
          : this.options.sourceId,
      });
    }
  }

  observeRateLimit(info: {
    remaining?: number;
    limit?: number;
    resetAt?: Date;
  }): void {
    if (info.remaining === undefined || !info.resetAt) return;
    // Keep a little headroom: stop at 1% of the limit (at least 1 call) instead of at zero.
    const floor = Math.max(1, Math.floor((info.limit ?? 100) * 0.01));
    if (info.remaining <= floor) {
      this.pause(Math.max(0, info.resetAt.getTime() - this.clock()));
      this.bucket?.drain();
    }
  }

  /** No upstream call until `ms` from now. */
  pause(ms: number) {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, this.clock() + ms);
  }

  /** When the guard will call the upstream again, if it is paused. */
  pausedUntil(): Date | undefined {
    return this.pausedUntilMs > this.clock()
      ? new Date(this.pausedUntilMs)
      : undefined;
  }

  /** Whether a background job may spend budget now (keeps half the bucket for user requests). */
  hasSpareBudget(): boolean {
    return this.spareBudgetInMs() === 0;
  }

  /**
   * How long until a background job may spend budget: 0 now; while the circuit is open, until
   * it lets a call through again (`Infinity` when isolated). Half the bucket stays for user
   * requests, so a job paced by this spends the refill rate and no more.
   */
  spareBudgetInMs(): number {
    const state = this.breakerPolicy.state;
    if (state === CircuitState.Isolated) return Infinity;
    if (state === CircuitState.Open) {
      // Until the circuit lets a call through again; then one caller may try it.
      const untilProbe =
        this.openedAtMs + this.options.breakerHalfOpenAfterMs - this.clock();
      if (untilProbe > 0) return untilProbe;
    }
    // A probe is on its way: its answer decides.
    if (state === CircuitState.HalfOpen) return HALF_OPEN_POLL_MS;
    const paused = Math.max(0, this.pausedUntilMs - this.clock());
    const perMinute = this.options.requestsPerMinute;
    if (!this.bucket || !perMinute) return paused;
    const missing = this.bucket.capacity / 2 - this.bucket.available();
    return Math.max(
      paused,
      missing > 0 ? Math.ceil((missing * MINUTE_MS) / perMinute) : 0,
    );
  }

  circuitState(): 'closed' | 'open' | 'half-open' | 'isolated' {
    switch (this.breakerPolicy.state) {
      case CircuitState.Open:
        return 'open';
      case CircuitState.HalfOpen:
        return 'half-open';
      case CircuitState.Isolated:
        return 'isolated';
      default:
        return 'closed';
    }
  }

  /** Upstream calls made (attempts, including retries): for tests and metrics. */
  callCount(): number {
    return this.calls;
  }

  /**
   * Takes a token, waiting for one until `untilMs` at the latest; throws `rate-limited` while
   * the upstream asked us to wait, or when the next token comes later. `spentFor` says how long
   * in the message.
   */
  private async takeToken(
    untilMs: number,
    wait: (ms: number) => Promise<void>,
    spentFor: (waitMs: number) => string,
  ): Promise<void> {
    for (;;) {
      const pausedFor = this.pausedUntilMs - this.clock();
      if (pausedFor > 0) {
        throw new UpstreamError(
          'rate-limited',
          `${this.options.sourceId} asked us to wait; next call in ${Math.ceil(
            pausedFor / 1000,
          )} s`,
          { retryAfterMs: pausedFor },
        );
      }
      if (!this.bucket) return;
      const taken = this.bucket.tryTake();
      if (taken.ok) return;
      if (this.clock() + taken.waitMs > untilMs) {
        throw new UpstreamError(
          'rate-limited',
          `The rate budget for ${this.options.sourceId} is spent${spentFor(
            taken.waitMs,
          )}`,
          { retryAfterMs: taken.waitMs },
        );
      }
      await wait(taken.waitMs);
    }
  }

  /** A patient call's token (see `patient`): it may wait until the caller's deadline. */
  private awaitToken(untilMs: number): Promise<void> {
    return this.takeToken(
      untilMs,
      this.options.sleep ?? (ms => sleep(ms)),
      () => ' until after this run',
    );
  }

  /** A call's token: it waits at most `maxBudgetWaitMs`, and not past its abort. */
  private takeBudget(signal: AbortSignal): Promise<void> {
    return this.takeToken(
      this.clock() + this.options.maxBudgetWaitMs,
      ms => sleep(ms, signal),
      waitMs => `; next call in ${Math.ceil(waitMs / 1000)} s`,
    );
  }
}

/** Waits `ms`, or rejects when `signal` (if any) aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!signal) {
      setTimeout(resolve, ms);
      return;
    }
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
