import { UpstreamError, parseRetryAfter } from '@dash-suite/plugin-dash-node';
import { GithubTarget } from './target';

/** The parts of Octokit's RequestError that DASH reads. */
export interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

export function isRequestError(e: unknown): e is RequestErrorLike {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { status?: unknown }).status === 'number' &&
    (e as { name?: unknown }).name === 'HttpError'
  );
}

/** One response header as a string, or undefined. */
export function header(
  headers: Record<string, unknown> | undefined,
  name: string,
): string | undefined {
  const v = headers?.[name];
  return v === undefined || v === null ? undefined : String(v);
}

/**
 * How long GitHub asked us to wait, when an error is a rate limit: the primary limit (403 or
 * 429 with `x-ratelimit-remaining: 0`, wait until `x-ratelimit-reset`), the secondary limit
 * (403 or 429 with `Retry-After`, or a "secondary rate limit" message, default 60 s), or any 429.
 */
export function rateLimitWaitMs(
  e: RequestErrorLike,
  now: number = Date.now(),
): number | undefined {
  if (e.status !== 403 && e.status !== 429) return undefined;
  const headers = e.response?.headers;
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return Math.max(1000, retryAfter);
  if (header(headers, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) {
      // One second past the reset, as GitHub recommends.
      return Math.max(1000, reset * 1000 - now + 1000);
    }
    return 60_000;
  }
  if (/secondary rate limit|rate limit exceeded/i.test(e.message))
    return 60_000;
  return e.status === 429 ? 60_000 : undefined;
}

/**
 * The one answer for a repository that is outside the allow-list, does not exist, or is private
 * and out of the credentials' reach: it names only what the reader already wrote.
 */
export function notFoundMessage(target: { slug: string }): string {
  return `Repository ${target.slug} was not found or is not accessible with the configured GitHub credentials; check github.com/project-slug`;
}

/**
 * An Octokit HTTP error as DASH says it: rate limits, refused credentials and a 404 become an
 * UpstreamError carrying the HTTP status; anything else (a 5xx) goes through unchanged for the
 * guard to retry.
 */
export function translateGithubError(
  e: unknown,
  target: GithubTarget,
  name: string,
): unknown {
  if (!isRequestError(e)) return e;
  const what = `GitHub ${name} of ${target.slug}`;
  const httpStatus = e.status;
  const wait = rateLimitWaitMs(e);
  if (wait !== undefined) {
    return new UpstreamError(
      'rate-limited',
      `${what}: rate limited by ${target.host}; next call in ${Math.ceil(
        wait / 1000,
      )} s`,
      { retryAfterMs: wait, cause: e, httpStatus },
    );
  }
  if (e.status === 401) {
    return new UpstreamError(
      'unauthorized',
      `${what}: ${target.host} refused the credentials (401 ${e.message}); check integrations.github`,
      { cause: e, httpStatus },
    );
  }
  if (e.status === 403) {
    return new UpstreamError(
      'unauthorized',
      `${what}: access denied by ${target.host} (403 ${e.message})`,
      { cause: e, httpStatus },
    );
  }
  if (e.status === 404) {
    // A wrong annotation, not an outage: not retried and does not open the circuit. GitHub
    // answers 404 alike for a repository that does not exist and for a private one the
    // credentials cannot see; so does DASH, and in the words of the allow-list's refusal.
    return new UpstreamError('not-allowed', notFoundMessage(target), {
      cause: e,
      httpStatus,
    });
  }
  return e;
}
