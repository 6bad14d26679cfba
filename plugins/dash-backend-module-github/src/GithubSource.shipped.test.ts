import { DashEvent } from '@dash-suite/plugin-dash-common';
import { Sandbox, startSandbox } from '@dash-suite/upstream-sandbox';
import {
  fetchService,
  sandboxService,
  sandboxSource,
} from './__testUtils__/sandboxSource';
import { deployFailed } from './normalize';

jest.setTimeout(60_000);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const payments = sandboxService('payments-api');

interface Shipped {
  base: string;
  pullRequests: { number: number; title: string; url?: string }[];
  commits: { sha: string; title: string }[];
  truncated?: true;
}

const deploys = (events: DashEvent[]) =>
  events.filter(e => e.kind === 'deploy');
const shippedOf = (e: DashEvent) =>
  e.attributes.shipped as unknown as Shipped | undefined;
const comparesIn = (ctx: { upstream: { calls: string[] } }) =>
  ctx.upstream.calls.filter(c => c === 'compare').length;

describe('GithubSource: what each deploy shipped', () => {
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

  const compareRequests = () =>
    sb
      .requests({ upstream: 'github' })
      .filter(r => r.path.includes('/compare/'));
  const deploymentListStatuses = () =>
    sb
      .requests({
        upstream: 'github',
        route: 'GET /repos/{owner}/{repo}/deployments',
      })
      .map(r => r.status);

  it('lists the commits and merged pull requests since the deploy before, from one compare per pair', async () => {
    const { ctx, source } = sandboxSource(sb);
    // A week, so that the commit the environment ran before is in the listed history whatever
    // the hour (a commit is dated when it was written, which can be long before its deploy).
    const { events } = await fetchService(source, ctx, payments, 7 * DAY);
    const story = sb.scenario.stories.find(
      x => x.id === 'payments-bad-deploy',
    )!;
    const deploy = events.find(
      e => e.id === `github:acme/payments-api:deployment:${story.cause!.id}`,
    )!;
    const shipped = shippedOf(deploy)!;

    // The base is what the environment ran before: the previous deploy there that did not fail.
    const before = deploys(events)
      .filter(
        e =>
          e.attributes.environment === deploy.attributes.environment &&
          Date.parse(e.startTime) < Date.parse(deploy.startTime) &&
          !deployFailed(e.status),
      )
      .sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime))[0];
    expect(shipped.base).toBe(before.attributes.sha);

    // Exactly the commits on the default branch after the base, up to the deployed sha.
    const history = events
      .filter(e => e.kind === 'commit')
      .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
    const at = (sha: unknown) =>
      history.findIndex(c => c.attributes.sha === sha);
    expect(at(shipped.base)).toBeGreaterThanOrEqual(0);
    expect(shipped.commits).toEqual(
      history
        .slice(at(shipped.base) + 1, at(deploy.attributes.sha) + 1)
        .map(c => ({ sha: c.attributes.sha, title: c.title })),
    );
    expect(shipped.commits.length).toBeGreaterThan(0);

    // The story's pull request, titled and linked as its own event is.
    const prSummary = story.causeAlsoSeenAs
      .find(c => c.kind === 'pull_request')!
      .summary.replace(/^PR: /, '');
    const pr = events.find(
      e => e.kind === 'pull-request' && e.title.endsWith(prSummary),
    )!;
    expect(shipped.pullRequests).toContainEqual({
      number: pr.attributes.number,
      title: prSummary,
      url: pr.url,
    });
    expect(shipped.truncated).toBeUndefined();

    // A rollback ships nothing new.
    const rollback = deploys(events).find(e => e.attributes.rollback === true)!;
    expect(shippedOf(rollback)).toBeUndefined();

    // One compare per pair of different shas; a redeploy of the same sha needs none.
    const compared = deploys(events).filter(e => {
      const s = shippedOf(e);
      return s && s.base !== e.attributes.sha;
    });
    expect(comparesIn(ctx)).toBe(compared.length);
    expect(compareRequests().map(r => r.status)).toEqual(
      compared.map(() => 200),
    );
  });

  it('keeps what was compared in the cursor: the next refresh returns the same shipped without a compare', async () => {
    const { ctx, source } = sandboxSource(sb);
    const first = await fetchService(source, ctx, payments, 2 * DAY);
    expect(comparesIn(ctx)).toBeGreaterThan(0);
    expect(JSON.parse(first.cursor!).shippedDue).toBeUndefined();

    // The deployment list read again (its ETag forgotten): same deploy events, no compare.
    const cursor = JSON.parse(first.cursor!);
    delete cursor.lists.deployments;
    const again = sandboxSource(sb);
    sb.resetCounters();
    const second = await fetchService(
      again.source,
      again.ctx,
      payments,
      2 * DAY,
      JSON.stringify(cursor),
    );
    expect(deploymentListStatuses()).toEqual([200]);
    expect(comparesIn(again.ctx)).toBe(0);
    expect(compareRequests()).toEqual([]);
    expect(deploys(second.events)).toEqual(deploys(first.events));

    // Nothing changed and nothing due: every request is a free 304.
    sb.resetCounters();
    await fetchService(
      again.source,
      again.ctx,
      payments,
      2 * DAY,
      second.cursor,
    );
    expect(sb.requests({ upstream: 'github' }).map(r => r.status)).toEqual([
      304, 304, 304, 304, 304, 304,
    ]);
  });

  it('returns deploys without shipped when compare fails, and compares them on the next refresh', async () => {
    sb.setFaults('github', {
      errorRate: 1,
      pathPrefix: '/repos/acme/payments-api/compare',
    });
    const { ctx, source } = sandboxSource(sb);
    const failed = await fetchService(source, ctx, payments, 2 * DAY);
    expect(deploys(failed.events).length).toBeGreaterThan(1);
    expect(deploys(failed.events).map(shippedOf).filter(Boolean)).toEqual([]);
    // The first failures stop this fetch's compares (three run at once).
    expect(compareRequests().length).toBeGreaterThan(0);
    expect(compareRequests().length).toBeLessThanOrEqual(3);
    expect(compareRequests().every(r => r.status >= 500)).toBe(true);
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /compare for deployment \d+ of acme\/payments-api failed/,
      ),
    );
    expect(JSON.parse(failed.cursor!).shippedDue).toBe(true);

    sb.setFaults('github', undefined);
    sb.resetCounters();
    const next = await fetchService(
      source,
      ctx,
      payments,
      2 * DAY,
      failed.cursor,
    );
    // The unchanged deployment list is read whole, so that its deploys come back with shipped.
    expect(deploymentListStatuses()).toEqual([200]);
    const clean = sandboxSource(sb);
    const reference = await fetchService(
      clean.source,
      clean.ctx,
      payments,
      2 * DAY,
    );
    expect(deploys(next.events)).toEqual(deploys(reference.events));
    expect(deploys(next.events).some(e => shippedOf(e))).toBe(true);
  });
});
