import { CampaignCheckDegradedError } from '@dash-suite/plugin-project-catalog-node';

export interface RateBudgetOptions {
  /** Requests per minute that campaign checks may make to one host. */
  perMinute: number;
  /** Requests of the upstream's own hourly limit left untouched for everything else (DASH). */
  reserve: number;
  /** How long a call may wait for its turn before the check says it is rate limited. */
  maxWaitMs: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The rate budget of campaign checks on one upstream host: a token bucket (a tenth of a minute
 * of burst), a reserve of the upstream's own limit that checks never spend, and a pause when the
 * upstream said to wait (Retry-After). A call that cannot go in time is refused with a
 * `rate-limited` {@link CampaignCheckDegradedError}: the entity keeps its last status.
 */
export class RateBudget {
  private tokens: number;
  private last: number;
  private remaining?: number;
  private resetMs?: number;
  private pausedUntil = 0;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly name: string,
    private readonly options: RateBudgetOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
    this.tokens = this.capacity;
    this.last = this.clock();
  }

  private get capacity() {
    return Math.max(1, Math.ceil(this.options.perMinute / 10));
  }

  /** Waits for a turn, or throws `rate-limited`. */
  async take(): Promise<void> {
    const now = this.clock();
    if (now < this.pausedUntil) {
      throw new CampaignCheckDegradedError(
        'rate-limited',
        `${this.name} asked to wait until ${new Date(
          this.pausedUntil,
        ).toISOString()}; the last result is kept`,
        { retryAfterMs: this.pausedUntil - now },
      );
    }
    if (
      this.remaining !== undefined &&
      this.resetMs !== undefined &&
      now < this.resetMs &&
      this.remaining <= this.options.reserve
    ) {
      throw new CampaignCheckDegradedError(
        'rate-limited',
        `${this.name} has ${this.remaining} requests left until ${new Date(
          this.resetMs,
        ).toISOString()}; campaign checks leave the last ${
          this.options.reserve
        } to other plugins`,
        { retryAfterMs: this.resetMs - now },
      );
    }
    this.refill(now);
    if (this.tokens < 1) {
      const waitMs = Math.ceil(
        ((1 - this.tokens) * 60_000) / this.options.perMinute,
      );
      if (waitMs > this.options.maxWaitMs) {
        throw new CampaignCheckDegradedError(
          'rate-limited',
          `Campaign checks used their budget of ${this.options.perMinute} requests per minute to ${this.name}; the rest wait for the next evaluation`,
          { retryAfterMs: waitMs },
        );
      }
      this.tokens -= 1;
      await this.sleep(waitMs);
      return;
    }
    this.tokens -= 1;
  }

  /** What the upstream said about its own limit (`x-ratelimit-remaining`, `-reset`). */
  observe(remaining: number | undefined, resetMs: number | undefined): void {
    if (remaining === undefined || !Number.isFinite(remaining)) return;
    this.remaining = remaining;
    this.resetMs = resetMs;
  }

  /** The upstream refused with a rate limit: no call until then. */
  pause(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  private refill(now: number) {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(
      this.capacity,
      this.tokens + (elapsed * this.options.perMinute) / 60_000,
    );
  }
}
