import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { notFoundMessage, translateGithubError } from './errors';
import { GithubTarget } from './target';

const target: GithubTarget = {
  host: 'github.com',
  apiBaseUrl: 'https://api.github.com',
  uiBaseUrl: 'https://github.com',
  owner: 'acme',
  repo: 'payments-api',
  slug: 'acme/payments-api',
  usesApps: false,
};

/** The shape of Octokit's RequestError. */
function httpError(
  status: number,
  message = 'Not Found',
  headers: Record<string, string> = {},
) {
  return Object.assign(new Error(message), {
    name: 'HttpError',
    status,
    response: { headers },
  });
}

describe('translateGithubError', () => {
  it('answers a 404 as not-allowed, in the words of the allow-list', () => {
    const error = translateGithubError(httpError(404), target, 'commits');
    expect(UpstreamError.isUpstreamError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 'not-allowed',
      httpStatus: 404,
      message: notFoundMessage(target),
    });
  });

  it('answers refused credentials as unauthorized, with the HTTP status', () => {
    expect(
      translateGithubError(httpError(401, 'Bad credentials'), target, 'pulls'),
    ).toMatchObject({
      status: 'unauthorized',
      httpStatus: 401,
      message:
        'GitHub pulls of acme/payments-api: github.com refused the credentials (401 Bad credentials); check integrations.github',
    });
    expect(
      translateGithubError(httpError(403, 'Forbidden'), target, 'pulls'),
    ).toMatchObject({ status: 'unauthorized', httpStatus: 403 });
  });

  it('answers an exhausted rate limit as rate-limited until the reset', () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    const error = translateGithubError(
      httpError(403, 'API rate limit exceeded', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
      }),
      target,
      'releases',
    ) as UpstreamError;
    expect(error).toMatchObject({ status: 'rate-limited', httpStatus: 403 });
    expect(error.retryAfterMs).toBeGreaterThan(100_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(122_000);
  });

  it('lets a server error and anything that is not an HTTP error through unchanged', () => {
    const serverError = httpError(502, 'Bad Gateway');
    expect(translateGithubError(serverError, target, 'commits')).toBe(
      serverError,
    );
    const other = new Error('socket hang up');
    expect(translateGithubError(other, target, 'commits')).toBe(other);
  });
});
