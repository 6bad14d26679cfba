import { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  UpstreamError,
  mapWithConcurrency,
} from '@dash-suite/plugin-dash-node';
import { ShippedMemo } from './cursor';
import { GithubRun } from './lists';
import { deployFailed } from './normalize';
import {
  nothingShipped,
  previousDeployShas,
  shippedAttribute,
  shippedFromComparison,
} from './shipped';

/*
 * The per-fetch job of `shipped`: which deploy events get one, from the cursor when that pair was
 * compared before (a compare of two shas never changes), else from a new compare, a bounded
 * number per fetch, newest first.
 */

/** New compares per fetch at most; the rest wait for the next refresh. */
export const MAX_COMPARES_PER_FETCH = 10;
/** Deployments (the newest in view) whose `shipped` the cursor keeps; older ones get none. */
export const MAX_SHIPPED_MEMOS = 50;
/** After this many 404/422 answers for a pair (a sha GitHub no longer has), stop asking. */
export const MAX_COMPARE_MISSES = 3;
/** Compares in flight at once (the guard bounds all calls too). */
const COMPARE_CONCURRENCY = 3;

interface Pair {
  key: string;
  head: string;
  base: string;
  /** What the cursor holds for this deployment and base, if anything. */
  memo?: ShippedMemo;
}

function isRateLimited(e: unknown): boolean {
  return UpstreamError.isUpstreamError(e) && e.status === 'rate-limited';
}

/** Titles of the merged pull requests this fetch read, by number. */
function pullRequestTitles(events: DashEvent[]): Map<number, string> {
  const titles = new Map<number, string>();
  for (const e of events) {
    const n = e.attributes.number;
    if (e.kind !== 'pull-request' || typeof n !== 'number') continue;
    // pullRequestEvent titles it `#<number> <title>`.
    const prefix = `#${n} `;
    titles.set(
      n,
      e.title.startsWith(prefix) ? e.title.slice(prefix.length) : e.title,
    );
  }
  return titles;
}

/** The deploy events that should say what they shipped, newest first, with their base. */
function pairsToShow(run: GithubRun, events: DashEvent[]): Pair[] {
  const read = run.deploymentsRead ?? [];
  const shown = new Map<string, DashEvent>();
  for (const e of events) {
    if (e.kind === 'deploy') shown.set(String(e.attributes.deploymentId), e);
  }
  const bases = previousDeployShas(
    read.map(d => ({
      key: String(d.id),
      environment: d.environment,
      sha: d.sha,
      failed: deployFailed(shown.get(String(d.id))?.status),
    })),
  );
  const pairs: Pair[] = [];
  for (const d of read) {
    const key = String(d.id);
    const event = shown.get(key);
    // A rollback ships nothing new.
    if (!event || event.attributes.rollback === true) continue;
    const stored = run.cursor.shipped[key];
    // The deployment before may be out of the list read now (a narrow incremental window);
    // what was compared when it was in it still holds.
    const base = bases.get(key) ?? stored?.base;
    if (!base) continue;
    pairs.push({
      key,
      head: d.sha,
      base,
      memo: stored?.base === base ? stored : undefined,
    });
    if (pairs.length >= MAX_SHIPPED_MEMOS) break;
  }
  return pairs;
}

function settled(memo: ShippedMemo | undefined): boolean {
  return Boolean(
    memo && (memo.commits || (memo.misses ?? 0) >= MAX_COMPARE_MISSES),
  );
}

/**
 * Adds `shipped` to the deploy events of this fetch, and keeps what it computed in the next
 * cursor. A compare that fails (server error, timeout) leaves its deploy without `shipped` for
 * the next refresh to try again, and stops this fetch's compares; a rate limit fails the fetch,
 * as for every other call, after the guard has paused the source.
 */
export async function attachShipped(
  run: GithubRun,
  events: DashEvent[],
): Promise<DashEvent[]> {
  if (!run.deploymentsRead) {
    // The deployment list did not change (304): no deploy event goes out, the stored ones keep
    // their `shipped`, and so does the cursor.
    run.next.shipped = run.cursor.shipped;
    return events;
  }
  const pairs = pairsToShow(run, events);
  const memos: Record<string, ShippedMemo> = {};
  const toCompare: Pair[] = [];
  for (const p of pairs) {
    if (p.memo) memos[p.key] = p.memo;
    if (settled(p.memo)) continue;
    if (p.base === p.head) memos[p.key] = nothingShipped(p.base);
    else toCompare.push(p);
  }

  const titles = pullRequestTitles(events);
  let stopped = false;
  let rateLimit: unknown;
  await mapWithConcurrency(
    toCompare.slice(0, MAX_COMPARES_PER_FETCH),
    COMPARE_CONCURRENCY,
    async p => {
      if (stopped) return;
      try {
        const comparison = await run.client.compare(p.base, p.head);
        if (comparison) {
          memos[p.key] = shippedFromComparison(p.base, comparison, titles);
          return;
        }
        const misses = (p.memo?.misses ?? 0) + 1;
        memos[p.key] = { base: p.base, misses };
        run.logger.warn(
          `GitHub cannot compare ${p.base.slice(0, 7)}...${p.head.slice(
            0,
            7,
          )} of ${run.repo.slug} (404 or 422, ${misses} time(s)): deployment ${
            p.key
          } is shown without what it shipped`,
        );
      } catch (e) {
        stopped = true;
        if (isRateLimited(e)) {
          rateLimit = e;
          return;
        }
        run.logger.warn(
          `GitHub compare for deployment ${p.key} of ${
            run.repo.slug
          } failed; it is shown without what it shipped until a later refresh: ${
            e instanceof Error ? e.message : String(e)
          }`,
        );
      }
    },
  );
  if (rateLimit) throw rateLimit;

  run.next.shipped = memos;
  // Pairs left for later are fetched again next refresh even when the list is unchanged.
  if (pairs.some(p => !settled(memos[p.key]))) run.next.shippedDue = true;
  return events.map(e => {
    if (e.kind !== 'deploy') return e;
    const memo = memos[String(e.attributes.deploymentId)];
    const shipped = memo && shippedAttribute(memo, run.repo);
    return shipped ? { ...e, attributes: { ...e.attributes, shipped } } : e;
  });
}
