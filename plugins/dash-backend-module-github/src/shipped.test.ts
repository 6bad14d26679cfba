import { Comparison } from './GithubClient';
import { GithubCommit } from './schemas';
import {
  MAX_SHIPPED_ITEMS,
  MAX_SHIPPED_TITLE,
  commitTitle,
  previousDeployShas,
  pullRequestOf,
  shippedAttribute,
  shippedFromComparison,
} from './shipped';

const repo = {
  entityRef: 'component:default/a',
  slug: 'acme/a',
  uiBaseUrl: 'https://github.com',
};

const sha = (n: number) => n.toString(16).padStart(40, '0');
const commit = (n: number, message: string): GithubCommit => ({
  sha: sha(n),
  commit: { message },
});
const comparison = (
  messages: string[],
  totalCommits = messages.length,
): Comparison => ({
  totalCommits,
  commits: messages.map((m, i) => commit(i + 1, m)),
});

describe('pullRequestOf', () => {
  it.each([
    [
      'Merge pull request #123 from acme/fix-vault\n\nUse the v2 vault client',
      { number: 123, title: 'Use the v2 vault client' },
    ],
    [
      'Merge pull request #7 from someone/branch',
      { number: 7, title: 'Merge pull request #7 from someone/branch' },
    ],
    [
      'Switch card tokenization to the v2 vault client (#2140)\n\nMore words',
      {
        number: 2140,
        title: 'Switch card tokenization to the v2 vault client',
      },
    ],
    [
      'Revert "Add retries (#88)" (#91)',
      { number: 91, title: 'Revert "Add retries (#88)"' },
    ],
    ['  Tidy logs (#5)  \r\n', { number: 5, title: 'Tidy logs' }],
  ])('reads %p', (message, expected) => {
    expect(pullRequestOf(message)).toEqual(expected);
  });

  it.each([
    ['Bump lodash'],
    ['Fix #12: retries'],
    ['Tidy logs\n\nFollow-up of (#5)'],
    ['Merge branch main into feature'],
    ['Merge pull request #x from a/b'],
  ])('finds no pull request in %p', message => {
    expect(pullRequestOf(message)).toBeUndefined();
  });

  it('cuts long titles', () => {
    const long = 'x'.repeat(300);
    const pr = pullRequestOf(`${long} (#4)`)!;
    expect(pr.title).toHaveLength(MAX_SHIPPED_TITLE);
    expect(pr.title.endsWith('…')).toBe(true);
    expect(commitTitle(`${long}\nbody`)).toHaveLength(MAX_SHIPPED_TITLE);
    expect(commitTitle('Short one\nbody')).toBe('Short one');
  });
});

describe('previousDeployShas', () => {
  const d = (key: string, environment: string, s: string, failed = false) => ({
    key,
    environment,
    sha: s,
    failed,
  });

  it('pairs each deployment with the one before it to the same environment that did not fail', () => {
    const bases = previousDeployShas([
      d('6', 'production', 'p3'),
      d('5', 'staging', 's2'),
      d('4', 'production', 'p2', true),
      d('3', 'production', 'p1'),
      d('2', 'staging', 's1'),
      d('1', 'production', 'p0'),
    ]);
    expect(Object.fromEntries(bases)).toEqual({
      // A failed deploy shipped nothing: the retry after it ships from what ran before it.
      '6': 'p1',
      '5': 's1',
      '4': 'p1',
      '3': 'p0',
    });
  });
});

describe('shippedFromComparison', () => {
  it('lists commits and the pull requests they merged, titled from the fetch when it has them', () => {
    const memo = shippedFromComparison(
      'b'.repeat(40),
      comparison([
        'Merge pull request #10 from acme/one\n\nOne',
        'Two (#11)',
        'Fix typo',
        'Three (#12)',
      ]),
      new Map([[11, 'Two, as titled on GitHub']]),
    );
    expect(memo).toEqual({
      base: 'b'.repeat(40),
      pullRequests: [
        { number: 10, title: 'One' },
        { number: 11, title: 'Two, as titled on GitHub' },
        { number: 12, title: 'Three' },
      ],
      commits: [
        { sha: sha(1), title: 'Merge pull request #10 from acme/one' },
        { sha: sha(2), title: 'Two (#11)' },
        { sha: sha(3), title: 'Fix typo' },
        { sha: sha(4), title: 'Three (#12)' },
      ],
    });
    expect(shippedAttribute(memo, repo)).toEqual({
      base: 'b'.repeat(40),
      pullRequests: [10, 11, 12].map(n => ({
        number: n,
        title: expect.any(String),
        url: `https://github.com/acme/a/pull/${n}`,
      })),
      commits: memo.commits,
    });
  });

  it('keeps the newest commits and pull requests and says it cut them', () => {
    const n = MAX_SHIPPED_ITEMS + 10;
    const memo = shippedFromComparison(
      'b'.repeat(40),
      comparison(Array.from({ length: n }, (_, i) => `Change ${i} (#${i})`)),
      new Map(),
    );
    expect(memo.commits).toHaveLength(MAX_SHIPPED_ITEMS);
    expect(memo.commits![0].title).toBe('Change 10 (#10)');
    expect(memo.pullRequests).toHaveLength(MAX_SHIPPED_ITEMS);
    expect(memo.pullRequests!.at(-1)).toEqual({
      number: n - 1,
      title: `Change ${n - 1}`,
    });
    expect(memo.truncated).toBe(true);
    expect(shippedAttribute(memo, repo)!.truncated).toBe(true);
  });

  it('says it is cut when GitHub has more commits than the page it sent', () => {
    const memo = shippedFromComparison(
      'b'.repeat(40),
      comparison(['A (#1)', 'B (#2)'], 180),
      new Map(),
    );
    expect(memo.commits).toHaveLength(2);
    expect(memo.truncated).toBe(true);
    const whole = shippedFromComparison(
      'b'.repeat(40),
      comparison(['A (#1)', 'B (#2)']),
      new Map(),
    );
    expect(whole.truncated).toBeUndefined();
  });

  it('builds no attribute from a miss', () => {
    expect(
      shippedAttribute({ base: 'b'.repeat(40), misses: 1 }, repo),
    ).toBeUndefined();
  });
});
