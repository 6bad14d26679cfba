import { JsonObject } from '@backstage/types';
import { Comparison } from './GithubClient';
import { ShippedMemo } from './cursor';
import { RepoContext, repoLink } from './normalize';

/*
 * What a deploy shipped: the commits between the sha deployed before it to the same environment
 * (`base`) and its own, and the pull requests those commits merged. The pure part: pairing
 * deployments, reading pull request numbers out of commit messages, building the attribute.
 */

/** Most commits, and most pull requests, a deploy's `shipped` lists; more sets `truncated`. */
export const MAX_SHIPPED_ITEMS = 50;
/** Titles are cut to this length: the attribute (and the cursor that keeps it) stays small. */
export const MAX_SHIPPED_TITLE = 100;

/** One deployment, as pairing needs it. */
export interface DeployLink {
  key: string;
  environment: string;
  sha: string;
  /** Its latest status is failure or error: it shipped nothing, so it is no base. */
  failed: boolean;
}

/**
 * For each deployment (newest first), the sha of the one before it to the same environment that
 * did not fail: what was running when it started. A deployment with none is left out.
 */
export function previousDeployShas(
  newestFirst: readonly DeployLink[],
): Map<string, string> {
  const bases = new Map<string, string>();
  const lastGood = new Map<string, string>();
  for (let i = newestFirst.length - 1; i >= 0; i--) {
    const d = newestFirst[i];
    const base = lastGood.get(d.environment);
    if (base) bases.set(d.key, base);
    if (!d.failed) lastGood.set(d.environment, d.sha);
  }
  return bases;
}

const MERGE_SUBJECT = /^Merge pull request #(\d+) from \S/;
const SQUASH_SUFFIX = /\s*\(#(\d+)\)\s*$/;

function lines(message: string): string[] {
  return message.split(/\r?\n/).map(l => l.trim());
}

function cut(title: string): string {
  return title.length > MAX_SHIPPED_TITLE
    ? `${title.slice(0, MAX_SHIPPED_TITLE - 1).trimEnd()}…`
    : title;
}

/** The first line of a commit message, cut to length. */
export function commitTitle(message: string): string {
  return cut(lines(message)[0] ?? '');
}

/**
 * The pull request a commit on the default branch merged, from the message GitHub wrote: a
 * merge commit `Merge pull request #123 from owner/branch`, or a squash (or rebase) merge whose
 * title ends with `(#123)`.
 */
export function pullRequestOf(
  message: string,
): { number: number; title: string } | undefined {
  const [subject = '', ...body] = lines(message);
  const merge = MERGE_SUBJECT.exec(subject);
  if (merge) {
    // GitHub's merge commit carries the pull request's title as the first line of its body.
    const title = body.find(l => l) ?? subject;
    return { number: Number(merge[1]), title: cut(title) };
  }
  const squash = SQUASH_SUFFIX.exec(subject);
  if (squash) {
    const title = subject.slice(0, squash.index).trim() || subject;
    return { number: Number(squash[1]), title: cut(title) };
  }
  return undefined;
}

/** What a deploy of the same sha as its base shipped: nothing, known without a compare. */
export function nothingShipped(base: string): ShippedMemo {
  return { base, pullRequests: [], commits: [] };
}

/**
 * What a compare says a deploy shipped, at most MAX_SHIPPED_ITEMS commits and pull requests
 * (the newest), in GitHub's order (oldest first). A pull request's title is the one the fetch
 * read (`knownTitles`, by number) when it has it, else the one its commit message gives.
 */
export function shippedFromComparison(
  base: string,
  comparison: Comparison,
  knownTitles: ReadonlyMap<number, string>,
): ShippedMemo {
  const pulls = new Map<number, string>();
  for (const c of comparison.commits) {
    const pr = pullRequestOf(c.commit.message);
    if (pr && !pulls.has(pr.number)) {
      const known = knownTitles.get(pr.number);
      pulls.set(pr.number, known ? cut(known) : pr.title);
    }
  }
  const commits = comparison.commits.map(c => ({
    sha: c.sha,
    title: commitTitle(c.commit.message) || c.sha.slice(0, 7),
  }));
  const kept = commits.slice(-MAX_SHIPPED_ITEMS);
  const pullRequests = [...pulls]
    .slice(-MAX_SHIPPED_ITEMS)
    .map(([number, title]) => ({ number, title }));
  // More commits than the page held (or than kept), or more pull requests than kept.
  const truncated =
    comparison.totalCommits > kept.length || pulls.size > pullRequests.length;
  return {
    base,
    pullRequests,
    commits: kept,
    ...(truncated ? { truncated: true as const } : {}),
  };
}

/** The `shipped` attribute of a deploy event, from what the cursor keeps; undefined for a miss. */
export function shippedAttribute(
  memo: ShippedMemo,
  repo: RepoContext,
): JsonObject | undefined {
  if (!memo.commits) return undefined;
  return {
    base: memo.base,
    pullRequests: (memo.pullRequests ?? []).map(pr => {
      const url = repoLink(repo, 'pull', String(pr.number));
      return url
        ? { number: pr.number, title: pr.title, url }
        : { number: pr.number, title: pr.title };
    }),
    commits: memo.commits.map(c => ({ sha: c.sha, title: c.title })),
    ...(memo.truncated ? { truncated: true } : {}),
  };
}
