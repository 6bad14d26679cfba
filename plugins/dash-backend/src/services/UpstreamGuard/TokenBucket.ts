import { MINUTE_MS } from '@dash-suite/plugin-dash-common';

/**
 * A token bucket: `capacity` calls at once, refilled at `perMinute` per minute. Time comes from
 * the injected clock so tests need no real waiting.
 */
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    private readonly perMinute: number,
    readonly capacity: number = Math.max(1, Math.ceil(perMinute / 6)),
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = this.capacity;
    this.updatedMs = clock();
  }

  private refill() {
    const now = this.clock();
    const elapsed = Math.max(0, now - this.updatedMs);
    this.tokens = Math.min(
      this.capacity,
      this.tokens + (elapsed * this.perMinute) / MINUTE_MS,
    );
    this.updatedMs = now;
  }

  /** Tokens available now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes a token when one is available; otherwise says how long until one will be. */
  tryTake(): { ok: true } | { ok: false; waitMs: number } {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return {
      ok: false,
      waitMs: Math.ceil(((1 - this.tokens) * MINUTE_MS) / this.perMinute),
    };
  }

  /** Empties the bucket (the upstream said we are out of budget). */
  drain() {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }
}
