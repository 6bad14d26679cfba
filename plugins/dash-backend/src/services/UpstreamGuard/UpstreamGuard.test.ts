import { mockServices } from '@backstage/backend-test-utils';
import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { UpstreamGuard, UpstreamGuardOptions } from './UpstreamGuard';
import { TokenBucket } from './TokenBucket';

function guard(overrides: Partial<UpstreamGuardOptions> = {}) {
  return new UpstreamGuard({
    sourceId: 'test',
    logger: mockServices.logger.mock(),
    timeoutMs: 200,
    retries: 2,
    retryBaseDelayMs: 1,
    breakerThreshold: 5,
    breakerHalfOpenAfterMs: 60_000,
    concurrency: 4,
    queue: 10,
    maxBudgetWaitMs: 0,
    ...overrides,
  });
}

describe('UpstreamGuard', () => {
  it('times out a call that never answers, aborting its signal', async () => {
    let aborted = false;
    const g = guard({ timeoutMs: 50, retries: 0 });
    const hang = (signal: AbortSignal) =>
      new Promise<never>(() => {
        signal.addEventListener('abort', () => {
          aborted = true;
        });
      });
    await expect(g.call(hang)).rejects.toMatchObject({
      name: 'UpstreamError',
      status: 'timed-out',
      message: 'test did not answer within 50 ms',
    });
    expect(aborted).toBe(true);
  });

  it('retries idempotent reads on faults, with the attempt count bounded', async () => {
    const g = guard({ retries: 2 });
    const flaky = jest
      .fn()
      .mockRejectedValueOnce(new Error('503'))
      .mockRejectedValueOnce(new Error('503'))
      .mockResolvedValue('ok');
    await expect(g.call(flaky)).resolves.toBe('ok');
    expect(flaky).toHaveBeenCalledTimes(3);

    const broken = jest.fn().mockRejectedValue(new Error('500'));
    await expect(g.call(broken)).rejects.toMatchObject({
      status: 'error',
      message: 'test failed: 500',
    });
    expect(broken).toHaveBeenCalledTimes(3);
  });

  it('never retries a call that is not idempotent, nor bad credentials', async () => {
    const g = guard();
    const post = jest.fn().mockRejectedValue(new Error('502'));
    await expect(g.call(post, { idempotent: false })).rejects.toThrow('502');
    expect(post).toHaveBeenCalledTimes(1);

    const unauthorized = jest
      .fn()
      .mockRejectedValue(new UpstreamError('unauthorized', 'bad token'));
    await expect(g.call(unauthorized)).rejects.toMatchObject({
      status: 'unauthorized',
    });
    expect(unauthorized).toHaveBeenCalledTimes(1);
  });

  it('opens the circuit after consecutive faults and then fails fast without calling', async () => {
    const g = guard({ retries: 0, breakerThreshold: 3 });
    const broken = jest.fn().mockRejectedValue(new Error('boom'));
    for (let i = 0; i < 3; i++) {
      await expect(g.call(broken)).rejects.toMatchObject({ status: 'error' });
    }
    expect(g.circuitState()).toBe('open');
    await expect(g.call(broken)).rejects.toMatchObject({
      status: 'error',
      message: expect.stringContaining('circuit open'),
    });
    expect(broken).toHaveBeenCalledTimes(3);
    expect(g.hasSpareBudget()).toBe(false);
  });

  it('tells background work to wait until the open circuit lets a call through again', async () => {
    let now = 5_000;
    const g = guard({
      retries: 0,
      breakerThreshold: 2,
      breakerHalfOpenAfterMs: 30_000,
      clock: () => now,
    });
    const broken = jest.fn().mockRejectedValue(new Error('boom'));
    for (let i = 0; i < 2; i++) await expect(g.call(broken)).rejects.toThrow();
    expect(g.circuitState()).toBe('open');
    expect(g.spareBudgetInMs()).toBe(30_000);
    now += 20_000;
    expect(g.spareBudgetInMs()).toBe(10_000);
    now += 10_000;
    // Due for a probe: one caller may try.
    expect(g.spareBudgetInMs()).toBe(0);
  });

  it('leaves the circuit closed after many 4xx answers to our own requests, but opens it on 5xx', async () => {
    const g = guard({ retries: 2, breakerThreshold: 3 });
    const badRange = jest
      .fn()
      .mockRejectedValue(
        new UpstreamError(
          'error',
          'PagerDuty answered incidents with 400 (The date range may span at most 180 days)',
          { httpStatus: 400 },
        ),
      );
    for (let i = 0; i < 20; i++) {
      await expect(g.call(badRange)).rejects.toMatchObject({
        status: 'error',
        httpStatus: 400,
      });
    }
    // Each failed once, without retries, and the source stays on for everyone else.
    expect(badRange).toHaveBeenCalledTimes(20);
    expect(g.circuitState()).toBe('closed');
    await expect(g.call(async () => 'fine')).resolves.toBe('fine');

    // A client library's own error with a numeric status (Octokit) counts the same way.
    const octokit404 = jest
      .fn()
      .mockRejectedValue(
        Object.assign(new Error('Unprocessable'), { status: 422 }),
      );
    for (let i = 0; i < 5; i++) {
      await expect(g.call(octokit404)).rejects.toMatchObject({
        status: 'error',
      });
    }
    expect(g.circuitState()).toBe('closed');

    const unavailable = jest.fn().mockRejectedValue(
      new UpstreamError('error', 'PagerDuty answered incidents with 503', {
        httpStatus: 503,
      }),
    );
    const h = guard({ retries: 0, breakerThreshold: 3 });
    for (let i = 0; i < 3; i++) {
      await expect(h.call(unavailable)).rejects.toMatchObject({
        status: 'error',
      });
    }
    expect(h.circuitState()).toBe('open');
    expect(unavailable).toHaveBeenCalledTimes(3);
  });

  it('obeys Retry-After: after a 429 it makes no call until the pause is over', async () => {
    let now = 1_000_000;
    const g = guard({ clock: () => now });
    const limited = jest
      .fn()
      .mockRejectedValueOnce(
        new UpstreamError('rate-limited', '429', { retryAfterMs: 30_000 }),
      )
      .mockResolvedValue('ok');
    await expect(g.call(limited)).rejects.toMatchObject({
      status: 'rate-limited',
    });
    expect(limited).toHaveBeenCalledTimes(1); // 429 is an answer: not retried
    await expect(g.call(limited)).rejects.toMatchObject({
      status: 'rate-limited',
      retryAfterMs: 30_000,
    });
    expect(limited).toHaveBeenCalledTimes(1);
    expect(g.pausedUntil()?.getTime()).toBe(1_030_000);
    now += 30_001;
    await expect(g.call(limited)).resolves.toBe('ok');
    expect(g.circuitState()).toBe('closed');
  });

  it('pauses before the wall when rate-limit headers say the budget is nearly spent', async () => {
    let now = 0;
    const g = guard({ clock: () => now });
    g.observeRateLimit({
      remaining: 500,
      limit: 5000,
      resetAt: new Date(60_000),
    });
    expect(g.pausedUntil()).toBeUndefined();
    g.observeRateLimit({
      remaining: 10,
      limit: 5000,
      resetAt: new Date(60_000),
    });
    expect(g.pausedUntil()?.getTime()).toBe(60_000);
    const fn = jest.fn().mockResolvedValue('ok');
    await expect(g.call(fn)).rejects.toMatchObject({ status: 'rate-limited' });
    expect(fn).not.toHaveBeenCalled();
    now = 60_001;
    await expect(g.call(fn)).resolves.toBe('ok');
  });

  it('spends a token-bucket budget and refuses calls past it', async () => {
    const now = 0;
    const g = guard({ requestsPerMinute: 60, clock: () => now });
    const fn = jest.fn().mockResolvedValue('ok');
    // Capacity is a tenth of a minute's budget: 10 calls in a burst.
    for (let i = 0; i < 10; i++) await g.call(fn);
    expect(g.hasSpareBudget()).toBe(false);
    await expect(g.call(fn)).rejects.toMatchObject({
      status: 'rate-limited',
      retryAfterMs: 1000,
    });
    expect(fn).toHaveBeenCalledTimes(10);
    expect(g.callCount()).toBe(10);
  });

  it('says when background work may spend budget again: half the bucket refilled, or the pause over', async () => {
    let now = 0;
    const g = guard({ requestsPerMinute: 60, clock: () => now });
    const fn = jest.fn().mockResolvedValue('ok');
    expect(g.spareBudgetInMs()).toBe(0);
    for (let i = 0; i < 8; i++) await g.call(fn);
    // 2 of 10 left; 5 needed: 3 tokens at one a second.
    expect(g.spareBudgetInMs()).toBe(3000);
    now += 3000;
    expect(g.spareBudgetInMs()).toBe(0);
    g.pause(20_000);
    expect(g.spareBudgetInMs()).toBe(20_000);
    expect(g.hasSpareBudget()).toBe(false);
  });

  it('holds a burst of `burst` calls when given one', async () => {
    const g = guard({ requestsPerMinute: 600, burst: 3, clock: () => 0 });
    const fn = jest.fn().mockResolvedValue('ok');
    for (let i = 0; i < 3; i++) await g.call(fn);
    await expect(g.call(fn)).rejects.toMatchObject({ status: 'rate-limited' });
    // Background work keeps half of the 3 for user requests: 1.5 tokens, 150 ms at 10 a second.
    expect(g.spareBudgetInMs()).toBe(150);
  });

  it('lets a patient caller wait for its token until its deadline, where a request fails at once', async () => {
    let now = 0;
    const slept: number[] = [];
    const g = guard({
      requestsPerMinute: 60,
      burst: 1,
      clock: () => now,
      sleep: async ms => {
        slept.push(ms);
        now += ms;
      },
    });
    const fn = jest.fn().mockResolvedValue('ok');
    await g.call(fn);
    await expect(g.call(fn)).rejects.toMatchObject({ status: 'rate-limited' });
    const patient = g.patient(10_000);
    await expect(patient.call(fn)).resolves.toBe('ok');
    await expect(patient.call(fn)).resolves.toBe('ok');
    expect(slept).toEqual([1000, 1000]);
    expect(now).toBe(2000);
    // One token per call: the prepaid first attempt took no second one.
    expect(g.callCount()).toBe(3);
    // A token that comes only after the deadline is not waited for.
    await expect(g.patient(2500).call(fn)).rejects.toMatchObject({
      status: 'rate-limited',
    });
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('waits for budget when allowed to, instead of failing', async () => {
    let now = 0;
    const g = guard({
      requestsPerMinute: 6000,
      maxBudgetWaitMs: 1000,
      clock: () => now,
    });
    const fn = jest.fn().mockResolvedValue('ok');
    for (let i = 0; i < 1000; i++) await g.call(fn);
    // The bucket (capacity 1000) is empty; the next token comes in 10 ms of (fake) time, but
    // the real sleep is what we wait on: move the clock as the sleep happens.
    const pending = g.call(fn);
    now += 10;
    await expect(pending).resolves.toBe('ok');
  });

  it('bounds concurrency and refuses calls beyond the queue', async () => {
    const g = guard({ concurrency: 1, queue: 0 });
    let release!: () => void;
    const slow = () => new Promise<string>(r => (release = () => r('done')));
    const first = g.call(slow, { idempotent: false });
    await expect(
      g.call(async () => 'second', { idempotent: false }),
    ).rejects.toMatchObject({
      status: 'rate-limited',
      message: expect.stringContaining('queued'),
    });
    release();
    await expect(first).resolves.toBe('done');
  });
});

describe('TokenBucket', () => {
  it('refills over time up to its capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(60, 2, () => now);
    expect(bucket.tryTake()).toEqual({ ok: true });
    expect(bucket.tryTake()).toEqual({ ok: true });
    expect(bucket.tryTake()).toEqual({ ok: false, waitMs: 1000 });
    now += 500;
    expect(bucket.tryTake()).toEqual({ ok: false, waitMs: 500 });
    now += 10_000;
    expect(bucket.available()).toBe(2);
    bucket.drain();
    expect(bucket.available()).toBe(0);
  });
});
