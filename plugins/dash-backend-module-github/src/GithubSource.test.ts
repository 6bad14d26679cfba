import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { Sandbox, startSandbox } from '@dash-suite/upstream-sandbox';
import { generateKeyPairSync } from 'node:crypto';
import { GithubSource } from './GithubSource';
import { component, testContext } from './__testUtils__/context';
import {
  fetchService,
  sandboxService,
  sandboxSource,
} from './__testUtils__/sandboxSource';

jest.setTimeout(60_000);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const paymentsService = sandboxService('payments-api');
const PAYMENTS = paymentsService.entityRef;
const payments = paymentsService.entity;

describe('GithubSource against the sandbox', () => {
  let sb: Sandbox;

  beforeAll(async () => {
    sb = await startSandbox({ scenario: 'demo' });
  });
  afterAll(async () => {
    await sb?.stop();
  });
  afterEach(() => {
    sb.setFaults('github', undefined);
    sb.resetCounters();
  });

  const source = (github?: JsonObject, token?: string) =>
    sandboxSource(sb, github, token);
  const fetch = (
    s: GithubSource,
    ctx: ReturnType<typeof testContext>,
    fromAgoMs: number,
    cursor?: string,
  ) => fetchService(s, ctx, paymentsService, fromAgoMs, cursor);

  const statuses = (route: string) =>
    sb
      .requests({ upstream: 'github' })
      .filter(r => r.route === route)
      .map(r => r.status);

  it('maps the payments story: the bad deploy, its rollback, release, pull request, commits and runs', async () => {
    const { ctx, source: s } = source();
    const { events } = await fetch(s, ctx, 6 * HOUR);
    const story = sb.scenario.stories.find(
      x => x.id === 'payments-bad-deploy',
    )!;
    const byId = new Map(events.map(e => [e.id, e]));
    expect(byId.size).toBe(events.length);
    expect(
      events.every(e => e.entityRef === PAYMENTS && e.source === 'github'),
    ).toBe(true);

    const deploy = byId.get(
      `github:acme/payments-api:deployment:${story.cause!.id}`,
    );
    expect(deploy).toMatchObject({
      kind: 'deploy',
      status: 'success',
      severity: 'info',
      title: 'Deploy v2.14.0 to production',
      startTime: new Date(story.cause!.at).toISOString(),
      url: 'https://github.com/acme/payments-api/deployments/production',
      attributes: expect.objectContaining({
        environment: 'production',
        ref: 'v2.14.0',
        rollback: false,
      }),
    });
    expect(Date.parse(deploy!.endTime!)).toBeGreaterThan(story.cause!.at);

    const rollbackDecoy = story.decoys.find(d => d.kind === 'deployment')!;
    expect(
      byId.get(`github:acme/payments-api:deployment:${rollbackDecoy.id}`),
    ).toMatchObject({
      kind: 'deploy',
      severity: 'warning',
      attributes: expect.objectContaining({
        rollback: true,
        environment: 'production',
      }),
    });

    const release = story.causeAlsoSeenAs.find(c => c.kind === 'release')!;
    expect(
      byId.get(`github:acme/payments-api:release:${release.id}`),
    ).toMatchObject({
      kind: 'release',
      title: 'Release v2.14.0',
      url: 'https://github.com/acme/payments-api/releases/tag/v2.14.0',
      attributes: expect.objectContaining({
        tag: 'v2.14.0',
        prerelease: false,
      }),
    });

    const prSummary = story.causeAlsoSeenAs
      .find(c => c.kind === 'pull_request')!
      .summary.replace(/^PR: /, '');
    const pr = events.find(
      e => e.kind === 'pull-request' && e.title.endsWith(prSummary),
    )!;
    expect(pr).toMatchObject({
      status: 'merged',
      url: expect.stringMatching(
        /^https:\/\/github\.com\/acme\/payments-api\/pull\/\d+$/,
      ),
      attributes: expect.objectContaining({
        baseRef: 'main',
        number: expect.any(Number),
      }),
    });
    expect(pr.startTime).toBe(pr.attributes.mergedAt);
    expect(Date.parse(String(pr.attributes.createdAt))).toBeLessThan(
      Date.parse(pr.startTime),
    );

    const commits = events.filter(e => e.kind === 'commit');
    expect(commits.length).toBeGreaterThan(0);
    for (const c of commits) {
      expect(c.url).toBe(
        `https://github.com/acme/payments-api/commit/${c.attributes.sha}`,
      );
      expect(c.attributes.branch).toBe('main');
      expect(c.actor?.name).toBeTruthy();
    }

    const deployRun = events.find(
      e =>
        e.kind === 'workflow-run' &&
        e.title === 'Deploy #501: Deploy v2.14.0 to production',
    );
    expect(deployRun).toMatchObject({
      status: 'success',
      url: expect.stringMatching(
        /^https:\/\/github\.com\/acme\/payments-api\/actions\/runs\/\d+$/,
      ),
      attributes: expect.objectContaining({
        event: 'workflow_dispatch',
        workflow: 'Deploy',
      }),
    });
    expect(deployRun!.endTime).toBeDefined();
  });

  it('asks again with the stored ETags and treats 304 as unchanged, without spending rate limit', async () => {
    const { ctx, source: s } = source();
    const first = await fetch(s, ctx, 6 * HOUR);
    expect(first.events.length).toBeGreaterThan(5);
    const remainingAfterFirst = ctx.upstream.observed.at(-1)!.remaining!;
    expect(ctx.upstream.observed.at(-1)).toMatchObject({
      limit: 5000,
      resetAt: expect.any(Date),
    });
    sb.resetCounters();

    const second = await fetch(s, ctx, 6 * HOUR, first.cursor);
    expect(second.events).toEqual([]);
    const log = sb.requests({ upstream: 'github' });
    expect(log.length).toBe(6);
    expect(log.every(r => r.status === 304)).toBe(true);
    expect(ctx.upstream.observed.at(-1)!.remaining).toBe(remainingAfterFirst);
    // The ETags are kept for the next round.
    expect(JSON.parse(second.cursor!).lists).toEqual(
      JSON.parse(first.cursor!).lists,
    );

    // A wider window than the ETag vouches for reads the lists again.
    sb.resetCounters();
    const wider = await fetch(s, ctx, 3 * DAY, second.cursor);
    expect(statuses('GET /repos/{owner}/{repo}/deployments')).toEqual([200]);
    expect(statuses('GET /repos/{owner}/{repo}/pulls')).toEqual([200]);
    expect(
      wider.events.some(e => Date.parse(e.startTime) < Date.now() - 6 * HOUR),
    ).toBe(true);
  });

  it('keeps the time filter of commits and runs between incremental refreshes, so they answer 304 too', async () => {
    const { ctx, source: s } = source();
    const cold = await fetch(s, ctx, 30 * HOUR);
    sb.resetCounters();
    // The DASH backend's next refresh starts later (its last fetch minus an overlap).
    const incremental = await fetch(s, ctx, 6 * HOUR, cold.cursor);
    expect(incremental.events).toEqual([]);
    expect(sb.requests({ upstream: 'github' }).map(r => r.status)).toEqual([
      304, 304, 304, 304, 304, 304,
    ]);
    // Far enough on, the filter moves up to the window again.
    const cursor = JSON.parse(incremental.cursor!);
    cursor.lists.commits.since -= 3 * DAY;
    cursor.lists.commits.from -= 3 * DAY;
    sb.resetCounters();
    await fetch(s, ctx, 6 * HOUR, JSON.stringify(cursor));
    expect(statuses('GET /repos/{owner}/{repo}/commits')).toEqual([200]);
  });

  it('reads unchanged deployments from the cursor instead of asking for their statuses again', async () => {
    const { ctx, source: s } = source();
    const first = await fetch(s, ctx, 2 * DAY);
    const deploys = first.events.filter(e => e.kind === 'deploy');
    expect(deploys.length).toBeGreaterThan(1);
    const cursor = JSON.parse(first.cursor!);
    // Forget the list's ETag so that the list is read, but keep the deployments' states.
    delete cursor.lists.deployments;
    sb.resetCounters();
    const second = await fetch(s, ctx, 2 * DAY, JSON.stringify(cursor));
    expect(statuses('GET /repos/{owner}/{repo}/deployments')).toEqual([200]);
    expect(
      statuses('GET /repos/{owner}/{repo}/deployments/{id}/statuses'),
    ).toEqual([]);
    expect(second.events.filter(e => e.kind === 'deploy')).toEqual(deploys);
  });

  it('pages through lists, stops at maxPages with a warning, and reads only as deep as the window', async () => {
    const all = source({ pageSize: 7 });
    const full = await fetch(all.source, all.ctx, 14 * DAY);
    const commits = full.events.filter(e => e.kind === 'commit');
    expect(commits.length).toBeGreaterThan(14);
    expect(statuses('GET /repos/{owner}/{repo}/commits').length).toBe(
      Math.ceil(commits.length / 7),
    );
    const reference = source();
    const onePage = await fetch(reference.source, reference.ctx, 14 * DAY);
    expect(commits.map(e => e.id).sort()).toEqual(
      onePage.events
        .filter(e => e.kind === 'commit')
        .map(e => e.id)
        .sort(),
    );

    sb.resetCounters();
    const capped = source({ pageSize: 7, maxPages: 2 });
    const part = await fetch(capped.source, capped.ctx, 14 * DAY);
    expect(part.events.filter(e => e.kind === 'commit')).toHaveLength(14);
    expect(statuses('GET /repos/{owner}/{repo}/commits')).toEqual([200, 200]);
    expect(capped.ctx.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /commits of acme\/payments-api: read 2 page\(s\) of 7 and stopped.*maxPages/,
      ),
    );
    // A truncated read vouches only for what it reached: the ETag is not reused for the window.
    const memo = JSON.parse(part.cursor!).lists.commits;
    expect(memo.from).toBeGreaterThan(Date.now() - 14 * DAY);

    // Newest-first lists stop at the window's start instead of reading every page.
    sb.resetCounters();
    const recent = source({ pageSize: 7 });
    await fetch(recent.source, recent.ctx, 6 * HOUR);
    expect(statuses('GET /repos/{owner}/{repo}/pulls').length).toBeLessThan(
      Math.ceil(full.events.filter(e => e.kind === 'pull-request').length / 7),
    );
  });

  it('fetches commits incrementally from the window start (since, rounded down to the hour)', async () => {
    const { ctx, source: s } = source();
    const { events } = await fetch(s, ctx, 2 * HOUR);
    const floor = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
    const commits = events.filter(e => e.kind === 'commit');
    for (const c of commits)
      expect(Date.parse(c.startTime)).toBeGreaterThanOrEqual(floor);
    const older = await fetch(s, ctx, 14 * DAY);
    expect(
      older.events.filter(e => e.kind === 'commit').length,
    ).toBeGreaterThan(commits.length);
  });

  it('reads with a GitHub App installation token, fetched through the guard', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ctx = testContext();
    const config = new ConfigReader({
      integrations: {
        github: [
          {
            host: 'github.com',
            apiBaseUrl: sb.urls.github,
            apps: [
              {
                appId: 777,
                clientId: 'Iv1.sandbox',
                clientSecret: 'sandbox-secret',
                privateKey: privateKey
                  .export({ type: 'pkcs8', format: 'pem' })
                  .toString(),
              },
            ],
          },
        ],
      },
    });
    const s = GithubSource.fromConfig(config, { logger: ctx.logger });
    const { events } = await fetch(s, ctx, 6 * HOUR);
    expect(events.some(e => e.kind === 'deploy')).toBe(true);
    expect(ctx.upstream.calls[0]).toBe('credentials');
    expect(sb.requests({ upstream: 'github' }).map(r => r.route)).toEqual(
      expect.arrayContaining([
        'GET /app/installations',
        'POST /app/installations/{id}/access_tokens',
      ]),
    );
  });

  it('reports refused credentials as unauthorized', async () => {
    const wrong = source({}, 'not-the-token');
    await expect(fetch(wrong.source, wrong.ctx, HOUR)).rejects.toMatchObject({
      name: 'UpstreamError',
      status: 'unauthorized',
      message: expect.stringMatching(/refused the credentials \(401/),
    });
    sb.setFaults('github', { unauthorized: true });
    const right = source();
    await expect(fetch(right.source, right.ctx, HOUR)).rejects.toMatchObject({
      status: 'unauthorized',
    });
  });

  it.each([403, 429] as const)(
    'turns a secondary rate limit (%s with Retry-After) into rate-limited, without retrying it',
    async status => {
      sb.setFaults('github', { rateLimit: { status, retryAfterSec: 7 } });
      const { ctx, source: s } = source();
      const error = await fetch(s, ctx, HOUR).catch(e => e);
      expect(UpstreamError.isUpstreamError(error)).toBe(true);
      expect(error).toMatchObject({
        status: 'rate-limited',
        retryAfterMs: 7000,
      });
      // One call, one request: neither the throttling plugin nor the retry plugin retried.
      expect(ctx.upstream.calls).toEqual(['repository']);
      expect(sb.requests({ upstream: 'github' })).toHaveLength(1);
    },
  );

  it('turns the primary rate limit into rate-limited until the reset, and reports the headers', async () => {
    const small = await startSandbox({
      scenario: 'demo',
      rateLimits: { githubPerHour: 3 },
    });
    try {
      const ctx = testContext();
      const config = new ConfigReader({
        integrations: {
          github: [
            {
              host: 'github.com',
              apiBaseUrl: small.urls.github,
              token: small.tokens.github,
            },
          ],
        },
      });
      const s = GithubSource.fromConfig(config, { logger: ctx.logger });
      const now = Date.now();
      const error = await s
        .fetchEvents(
          {
            entity: payments,
            entityRef: PAYMENTS,
            from: new Date(now - HOUR),
            to: new Date(now),
          },
          ctx,
        )
        .catch(e => e);
      expect(error).toMatchObject({ status: 'rate-limited' });
      expect(error.retryAfterMs).toBeGreaterThan(HOUR - 60_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(HOUR + 2000);
      expect(ctx.upstream.observed).toContainEqual(
        expect.objectContaining({ remaining: 0, limit: 3 }),
      );
      // Nothing was retried: each route was asked at most once.
      const routes = small.requests({ upstream: 'github' }).map(r => r.route);
      expect(new Set(routes).size).toBe(routes.length);
      expect(
        small.requests({ upstream: 'github' }).filter(r => r.status === 403)
          .length,
      ).toBeGreaterThan(0);
    } finally {
      await small.stop();
    }
  });

  it('lets a server error through for the guard to retry, and does not retry it inside the client', async () => {
    sb.setFaults('github', { errorRate: 1 });
    const { ctx, source: s } = source();
    const error = await fetch(s, ctx, HOUR).catch(e => e);
    expect(UpstreamError.isUpstreamError(error)).toBe(false);
    expect(error.status).toBeGreaterThanOrEqual(500);
    expect(sb.requests({ upstream: 'github' })).toHaveLength(1);
  });

  it('rejects a garbled answer inside the guarded call, so that the guard can retry it', async () => {
    const { ctx, source: s } = source();
    const first = await fetch(s, ctx, 6 * HOUR);
    sb.setFaults('github', {
      malformedRate: 1,
      pathPrefix: '/repos/acme/payments-api/pulls',
    });
    await expect(fetch(s, ctx, 6 * HOUR)).rejects.toThrow(
      'GitHub answered pulls with something that is not a list',
    );
    expect(first.events.length).toBeGreaterThan(0);
  });

  it('gives up when the guard aborts a hung call', async () => {
    sb.setFaults('github', { hangRate: 1 });
    const ctx = testContext(300);
    const config = new ConfigReader({
      integrations: {
        github: [
          {
            host: 'github.com',
            apiBaseUrl: sb.urls.github,
            token: sb.tokens.github,
          },
        ],
      },
    });
    const s = GithubSource.fromConfig(config, { logger: ctx.logger });
    const started = Date.now();
    await expect(fetch(s, ctx, HOUR)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers alike for a repository outside the allow-list, one that does not exist and one out of reach', async () => {
    // GitHub answers 404 both for a repository that does not exist and for a private one that
    // the credentials cannot see; the allow-list refuses in the same words, so that a reader
    // learns nothing about which repositories exist.
    sb.resetCounters();
    const { ctx, source: s } = source({
      allow: { repositories: ['acme/*'] },
    });
    const now = Date.now();
    const attempt = (slug: string) =>
      s
        .fetchEvents(
          {
            entity: component('probe', { 'github.com/project-slug': slug }),
            entityRef: 'component:default/probe',
            from: new Date(now - HOUR),
            to: new Date(now),
          },
          ctx,
        )
        .then(
          () => undefined,
          (e: UpstreamError) => ({
            status: e.status,
            message: e.message.replace(slug, '<slug>'),
          }),
        );
    const missing = await attempt('acme/ghost');
    // acme/payments-api exists in the sandbox: outside the list it reads as missing too.
    const outside = await attempt('other/payments-api');
    const existingButDenied = await source({
      allow: { repositories: ['acme/checkout-*'] },
    })
      .source.fetchEvents(
        {
          entity: payments,
          entityRef: PAYMENTS,
          from: new Date(now - HOUR),
          to: new Date(now),
        },
        ctx,
      )
      .then(
        () => undefined,
        (e: UpstreamError) => ({
          status: e.status,
          message: e.message.replace('acme/payments-api', '<slug>'),
        }),
      );
    expect(missing).toEqual({
      status: 'not-allowed',
      message:
        'Repository <slug> was not found or is not accessible with the configured GitHub credentials; check github.com/project-slug',
    });
    expect(outside).toEqual(missing);
    expect(existingButDenied).toEqual(missing);
    // Only the repository inside the list reached GitHub.
    expect(
      sb
        .requests({ upstream: 'github' })
        .map(r => r.path)
        .filter(p => /payments-api/.test(p)),
    ).toEqual([]);
  });

  it('keeps pull-request CI runs out unless asked for', async () => {
    const quiet = source();
    const a = await fetch(quiet.source, quiet.ctx, 14 * DAY);
    const loud = source({ includePullRequestWorkflowRuns: true });
    const b = await fetch(loud.source, loud.ctx, 14 * DAY);
    const runs = (events: DashEvent[]) =>
      events.filter(e => e.kind === 'workflow-run');
    expect(
      runs(a.events).some(e => e.attributes.event === 'pull_request'),
    ).toBe(false);
    expect(runs(b.events).length).toBeGreaterThanOrEqual(runs(a.events).length);
  });
});
