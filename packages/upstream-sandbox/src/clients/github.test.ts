/*
 * @octokit/rest with the throttling and retry plugins against the sandbox, unchanged: ETags
 * (a 304 is a RequestError with status 304 and costs no rate limit), Link pagination with
 * octokit.paginate, and the primary and secondary rate limit handlers.
 */
import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { retry } from '@octokit/plugin-retry';
import { startSandbox } from '../sandbox';
import { Sandbox } from '../types';
import { FIXED_NOW } from '../__testUtils__/http';

// Sandboxes start in about a second on a busy 2-core machine.
jest.setTimeout(30_000);

// The plugins' types come from the hoisted @octokit/core, @octokit/rest 20 brings its own.
type Plugin = Parameters<typeof Octokit.plugin>[0];
const MyOctokit = Octokit.plugin(
  throttling as unknown as Plugin,
  retry as unknown as Plugin,
);

function client(
  sb: Sandbox,
  handlers: { onRateLimit?: jest.Mock; onSecondaryRateLimit?: jest.Mock } = {},
) {
  return new MyOctokit({
    auth: sb.tokens.github,
    baseUrl: sb.urls.github,
    throttle: {
      onRateLimit: handlers.onRateLimit ?? jest.fn(() => false),
      onSecondaryRateLimit:
        handlers.onSecondaryRateLimit ?? jest.fn(() => false),
      retryAfterBaseValue: 10,
    },
    retry: { doNotRetry: [400, 401, 403, 404, 422, 429, 304] },
    request: { retries: 0 },
  });
}

describe('@octokit/rest + throttling + retry against the sandbox', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ seed: 5, now: FIXED_NOW });
  });
  afterAll(() => sb.stop());

  it('answers a matching If-None-Match with 304 (RequestError) that costs no rate limit', async () => {
    const octokit = client(sb);
    const first = await octokit.rest.repos.listReleases({
      owner: 'acme',
      repo: 'payments-api',
    });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const remaining = Number(first.headers['x-ratelimit-remaining']);
    const err = await octokit.rest.repos
      .listReleases({
        owner: 'acme',
        repo: 'payments-api',
        headers: { 'if-none-match': etag },
      })
      .then(
        () => undefined,
        e => e,
      );
    expect(err?.name).toBe('HttpError');
    expect(err.status).toBe(304);
    expect(Number(err.response.headers['x-ratelimit-remaining'])).toBe(
      remaining,
    );
    const again = await octokit.rest.repos.listReleases({
      owner: 'acme',
      repo: 'payments-api',
    });
    expect(Number(again.headers['x-ratelimit-remaining'])).toBe(remaining - 1);
    expect(again.headers.etag).toBe(etag);
  });

  it('paginates with Link headers through octokit.paginate', async () => {
    const octokit = client(sb);
    const all = await octokit.paginate(octokit.rest.repos.listCommits, {
      owner: 'acme',
      repo: 'payments-api',
      per_page: 7,
    });
    const page1 = await octokit.rest.repos.listCommits({
      owner: 'acme',
      repo: 'payments-api',
      per_page: 7,
    });
    expect(page1.headers.link).toMatch(
      /<[^>]+[?&]page=2>; rel="next", <[^>]+[?&]page=\d+>; rel="last"/,
    );
    expect(all.length).toBeGreaterThan(14);
    expect(new Set(all.map(c => c.sha)).size).toBe(all.length);
    const dates = all.map(c => Date.parse(c.commit.author!.date!));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    const page2 = await octokit.rest.repos.listCommits({
      owner: 'acme',
      repo: 'payments-api',
      per_page: 7,
      page: 2,
    });
    expect(page2.headers.link).toMatch(
      /rel="prev".*rel="next".*rel="last".*rel="first"/,
    );
  });

  it('holds the bad deploy story: merged PR, release v2.14.0, production deployment before the incident, then a rollback', async () => {
    const octokit = client(sb);
    const story = sb.scenario.stories.find(
      s => s.id === 'payments-bad-deploy',
    )!;
    const deployments = await octokit.paginate(
      octokit.rest.repos.listDeployments,
      {
        owner: 'acme',
        repo: 'payments-api',
        environment: 'production',
        per_page: 100,
      },
    );
    const cause = deployments.find(d => String(d.id) === story.cause!.id)!;
    expect(cause).toMatchObject({ ref: 'v2.14.0', environment: 'production' });
    expect(Date.parse(cause.created_at)).toBe(story.cause!.at);
    expect(Date.parse(cause.created_at)).toBeLessThan(
      story.incident!.triggeredAt,
    );
    const rollback = deployments.find(
      d => Date.parse(d.created_at) > story.incident!.triggeredAt,
    )!;
    expect(rollback.description).toMatch(/^Roll back to v/);
    const statuses = await octokit.rest.repos.listDeploymentStatuses({
      owner: 'acme',
      repo: 'payments-api',
      deployment_id: cause.id,
    });
    expect(statuses.data.map(s => s.state)).toEqual([
      'success',
      'in_progress',
      'queued',
    ]);
    const releases = await octokit.rest.repos.listReleases({
      owner: 'acme',
      repo: 'payments-api',
    });
    expect(releases.data[0].tag_name).toBe('v2.14.0');
    const pulls = await octokit.paginate(octokit.rest.pulls.list, {
      owner: 'acme',
      repo: 'payments-api',
      state: 'closed',
      per_page: 100,
    });
    const pr = pulls.find(
      p => p.title === 'Switch card tokenization to the v2 vault client',
    )!;
    expect(pr.merged_at).not.toBeNull();
    expect(pr.merge_commit_sha).toBe(cause.sha);
    const runs = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner: 'acme',
      repo: 'payments-api',
      event: 'workflow_dispatch',
      per_page: 5,
    });
    expect(runs.data.total_count).toBeGreaterThan(1);
    expect(runs.data.workflow_runs[0].name).toBe('Deploy');
  });

  it('calls onRateLimit when the primary budget is spent (403, x-ratelimit-remaining: 0)', async () => {
    const small = await startSandbox({
      seed: 5,
      now: FIXED_NOW,
      rateLimits: { githubPerHour: 3 },
    });
    try {
      const onRateLimit = jest.fn(() => false);
      const octokit = client(small, { onRateLimit });
      for (let i = 0; i < 3; i++)
        await octokit.rest.repos.get({ owner: 'acme', repo: 'cart-service' });
      const err = await octokit.rest.repos
        .get({ owner: 'acme', repo: 'cart-service' })
        .then(
          () => undefined,
          e => e,
        );
      expect(err.status).toBe(403);
      expect(err.response.headers['x-ratelimit-remaining']).toBe('0');
      expect(err.message).toMatch(/API rate limit exceeded/);
      expect(onRateLimit).toHaveBeenCalledTimes(1);
      const [retryAfter] = onRateLimit.mock.calls[0] as unknown as [number];
      expect(retryAfter).toBeGreaterThan(3000);
      // GET /rate_limit is free and tells the same.
      const rl = await octokit.rest.rateLimit.get();
      expect(rl.data.resources.core).toMatchObject({
        limit: 3,
        remaining: 0,
        used: 3,
      });
    } finally {
      await small.stop();
    }
  });

  it('calls onSecondaryRateLimit with Retry-After under the rateLimit fault, and retries when told to', async () => {
    const onSecondaryRateLimit = jest.fn(
      (_after: number, _opts: unknown, _o: unknown, retryCount: number) =>
        retryCount < 1,
    );
    const octokit = client(sb, { onSecondaryRateLimit });
    sb.setFaults('github', { rateLimit: { rate: 1, retryAfterSec: 2 } });
    try {
      const err = await octokit.rest.repos
        .listCommits({ owner: 'acme', repo: 'cart-service' })
        .then(
          () => undefined,
          e => e,
        );
      expect(err.status).toBe(403);
      expect(err.response.headers['retry-after']).toBe('2');
      expect(onSecondaryRateLimit).toHaveBeenCalledTimes(2);
      expect(onSecondaryRateLimit.mock.calls[0][0]).toBe(2);
    } finally {
      sb.setFaults('github', undefined);
    }
    const ok = await octokit.rest.repos.listCommits({
      owner: 'acme',
      repo: 'cart-service',
    });
    expect(ok.status).toBe(200);
  });

  it('retries a 5xx with plugin-retry and refuses a bad token with 401 Bad credentials', async () => {
    const flaky = await startSandbox({
      seed: 5,
      now: FIXED_NOW,
      faults: {
        github: { errorRate: 1, pathPrefix: '/repos/acme/fraud-detector' },
      },
    });
    try {
      const octokit = new MyOctokit({
        auth: flaky.tokens.github,
        baseUrl: flaky.urls.github,
        throttle: {
          onRateLimit: () => false,
          onSecondaryRateLimit: () => false,
        },
        retry: { retries: 2, retryAfterBaseValue: 1 },
      } as any);
      const err = await octokit.rest.repos
        .get({ owner: 'acme', repo: 'fraud-detector' })
        .then(
          () => undefined,
          e => e,
        );
      expect([500, 502, 503]).toContain(err.status);
      expect(
        flaky.requests({
          upstream: 'github',
          route: 'GET /repos/{owner}/{repo}',
        }),
      ).toHaveLength(3);
      const other = await octokit.rest.repos.get({
        owner: 'acme',
        repo: 'ledger-service',
      });
      expect(other.status).toBe(200);
      const bad = new Octokit({ auth: 'wrong', baseUrl: flaky.urls.github });
      const e401 = await bad.rest.repos
        .get({ owner: 'acme', repo: 'ledger-service' })
        .then(
          () => undefined,
          e => e,
        );
      expect(e401.status).toBe(401);
      expect(e401.response.data.message).toBe('Bad credentials');
    } finally {
      await flaky.stop();
    }
  });
});
