import { mockServices } from '@backstage/backend-test-utils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { Comparison, GithubClient } from './GithubClient';
import { GithubSourceSettings } from './config';
import { GithubCursor } from './cursor';
import { GithubRun } from './lists';
import { deploymentEvent } from './normalize';
import { GithubDeployment } from './schemas';
import {
  MAX_COMPARES_PER_FETCH,
  MAX_COMPARE_MISSES,
  attachShipped,
} from './shippedCompares';

const repo = {
  entityRef: 'component:default/a',
  slug: 'acme/a',
  uiBaseUrl: 'https://github.com',
};
/** A distinct sha-like string per deployment number; `parseInt` reads the number back. */
const sha = (n: number) => `${n}f`.padEnd(40, '0');

/** Deployment `n` (1 = oldest) of `sha(n)`, an hour after the one before. */
function deployment(
  n: number,
  patch: Partial<GithubDeployment> = {},
): GithubDeployment {
  const at = new Date(Date.UTC(2026, 0, 1, n)).toISOString();
  return {
    id: n,
    sha: sha(n),
    ref: `v1.${n}.0`,
    environment: 'production',
    created_at: at,
    updated_at: at,
    ...patch,
  };
}

/** A compare that finds head's one commit, squash-merging pull request number `n`. */
function fakeCompare() {
  return jest.fn(
    async (_base: string, head: string): Promise<Comparison | undefined> => {
      const n = parseInt(head, 10);
      return {
        totalCommits: 1,
        commits: [{ sha: head, commit: { message: `Ship ${n} (#${n})` } }],
      };
    },
  );
}

const emptyCursor = (): GithubCursor => ({
  v: 1,
  target: 'github.com/acme/a',
  lists: {},
  deployments: {},
  shipped: {},
});

/** One fetch's `attachShipped` over `newestFirst`, as readDeployments leaves the run. */
async function fetchRound(
  compare: ReturnType<typeof fakeCompare>,
  newestFirst: GithubDeployment[],
  cursor: GithubCursor = emptyCursor(),
  options: { rollbacks?: number[]; failed?: number[] } = {},
) {
  const logger = mockServices.logger.mock();
  const run: GithubRun = {
    client: { compare } as unknown as GithubClient,
    settings: {} as GithubSourceSettings,
    logger,
    repo,
    fromMs: 0,
    cursor,
    next: emptyCursor(),
    deploymentsRead: newestFirst,
  };
  const events = newestFirst.map(
    d =>
      deploymentEvent(
        repo,
        d,
        {
          state: options.failed?.includes(d.id) ? 'failure' : 'success',
        },
        options.rollbacks?.includes(d.id) ? 'description' : undefined,
      )!,
  );
  const out = await attachShipped(run, events);
  return { run, logger, events: out, shipped: shippedById(out) };
}

function shippedById(events: DashEvent[]) {
  return Object.fromEntries(
    events.map(e => [e.attributes.deploymentId, e.attributes.shipped]),
  );
}

const newestFirst = (n: number) =>
  Array.from({ length: n }, (_, i) => deployment(n - i));

describe('attachShipped', () => {
  it('compares at most MAX_COMPARES_PER_FETCH new pairs per fetch, newest first, and reuses them after', async () => {
    const compare = fakeCompare();
    const list = newestFirst(MAX_COMPARES_PER_FETCH + 4);
    const first = await fetchRound(compare, list);
    expect(compare).toHaveBeenCalledTimes(MAX_COMPARES_PER_FETCH);
    // The newest ten, each against the deployment before it.
    expect(compare.mock.calls.map(([b, h]) => [b, h])).toEqual(
      list.slice(0, MAX_COMPARES_PER_FETCH).map(d => [sha(d.id - 1), d.sha]),
    );
    const withShipped = Object.entries(first.shipped).filter(([, s]) => s);
    expect(withShipped.map(([id]) => Number(id)).sort((a, b) => b - a)).toEqual(
      list.slice(0, MAX_COMPARES_PER_FETCH).map(d => d.id),
    );
    expect(first.shipped[14]).toEqual({
      base: sha(13),
      pullRequests: [
        {
          number: 14,
          title: 'Ship 14',
          url: 'https://github.com/acme/a/pull/14',
        },
      ],
      commits: [{ sha: sha(14), title: 'Ship 14 (#14)' }],
    });
    expect(first.run.next.shippedDue).toBe(true);

    compare.mockClear();
    const second = await fetchRound(compare, list, first.run.next);
    // The three left (the oldest deployment has nothing before it).
    expect(compare).toHaveBeenCalledTimes(3);
    expect(second.run.next.shippedDue).toBeUndefined();
    expect(second.shipped[1]).toBeUndefined();

    compare.mockClear();
    const third = await fetchRound(compare, list, second.run.next);
    expect(compare).not.toHaveBeenCalled();
    expect(third.events).toEqual(second.events);
  });

  it('keeps what a deployment shipped when the one before it is no longer in the list read', async () => {
    const compare = fakeCompare();
    const first = await fetchRound(compare, newestFirst(3));
    compare.mockClear();
    const narrow = await fetchRound(
      compare,
      newestFirst(3).slice(0, 1),
      first.run.next,
    );
    expect(compare).not.toHaveBeenCalled();
    expect(narrow.shipped[3]).toEqual(first.shipped[3]);
    expect(Object.keys(narrow.run.next.shipped)).toEqual(['3']);
  });

  it('compares nothing for a rollback or a redeploy of the same sha, and skips failed deploys as a base', async () => {
    const compare = fakeCompare();
    const list = [
      deployment(5, { sha: sha(3) }),
      deployment(4),
      deployment(3),
      deployment(2),
      deployment(1),
    ];
    const { shipped } = await fetchRound(compare, list, undefined, {
      rollbacks: [2],
      failed: [4],
    });
    // 5 redeploys what 3 shipped (4 failed): nothing new, and no call.
    expect(shipped[5]).toEqual({
      base: sha(3),
      pullRequests: [],
      commits: [],
    });
    expect(shipped[2]).toBeUndefined();
    expect(compare.mock.calls.map(([b, h]) => [b, h])).toEqual([
      [sha(3), sha(4)],
      [sha(2), sha(3)],
    ]);
  });

  it('asks again after a 404 or 422, and gives up after MAX_COMPARE_MISSES', async () => {
    const compare = fakeCompare();
    compare.mockResolvedValue(undefined);
    let cursor = emptyCursor();
    for (let i = 1; i <= MAX_COMPARE_MISSES; i++) {
      const round = await fetchRound(compare, newestFirst(2), cursor);
      expect(compare).toHaveBeenCalledTimes(i);
      expect(round.shipped[2]).toBeUndefined();
      expect(round.run.next.shipped['2']).toEqual({ base: sha(1), misses: i });
      expect(round.logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(/cannot compare 1f00000\.\.\.2f00000 of acme\/a/),
      );
      cursor = round.run.next;
    }
    expect(cursor.shippedDue).toBeUndefined();
    await fetchRound(compare, newestFirst(2), cursor);
    expect(compare).toHaveBeenCalledTimes(MAX_COMPARE_MISSES);
  });

  it('shows deploys without shipped when a compare fails, stops comparing, and tries again next refresh', async () => {
    const compare = fakeCompare();
    const working = compare.getMockImplementation()!;
    compare.mockRejectedValue(new Error('502 Bad Gateway'));
    const list = newestFirst(8);
    const failed = await fetchRound(compare, list);
    // The calls already in flight (three at once), no more.
    expect(compare).toHaveBeenCalledTimes(3);
    expect(Object.values(failed.shipped).every(s => s === undefined)).toBe(
      true,
    );
    expect(failed.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/compare for deployment 8 of acme\/a failed.*502/),
    );
    expect(failed.run.next.shippedDue).toBe(true);

    compare.mockImplementation(working);
    const again = await fetchRound(compare, list, failed.run.next);
    expect(again.shipped[8]).toMatchObject({ base: sha(7) });
  });

  it('fails the fetch on a rate limit, as every other call does', async () => {
    const compare = fakeCompare();
    const limited = new UpstreamError('rate-limited', 'wait', {
      retryAfterMs: 60_000,
    });
    compare.mockRejectedValue(limited);
    await expect(fetchRound(compare, newestFirst(3))).rejects.toBe(limited);
  });

  it('keeps the stored shipped as it was when the deployment list did not change', async () => {
    const compare = fakeCompare();
    const first = await fetchRound(compare, newestFirst(2));
    const run = { ...first.run, cursor: first.run.next, next: emptyCursor() };
    delete run.deploymentsRead;
    const events: DashEvent[] = [];
    expect(await attachShipped(run, events)).toBe(events);
    expect(run.next.shipped).toEqual(first.run.next.shipped);
  });
});
