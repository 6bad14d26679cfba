import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  SignalSource,
  UpstreamCaller,
  mapWithConcurrency,
} from '@dash-suite/plugin-dash-node';
import { isDatabaseUnavailableError } from '../../database/databaseErrors';
import { FeedStore } from '../FeedStore/FeedStore';
import { UpstreamGuard } from '../UpstreamGuard/UpstreamGuard';

export interface PrewarmOptions {
  /** How far back a cold feed is fetched. */
  windowMs: number;
  /** Workers per source. */
  concurrency: number;
  /** No refresh starts after this (the rest is left for the next run). */
  deadlineMs: number;
  /** Count feeds older than this as stale (the live watch). */
  maxAgeMs?: number;
  /** Wait for spare budget instead of skipping (the scheduled pre-warming). */
  paced?: boolean;
}

/**
 * One refresh of the feed (single-flight), its calls through `upstream` when given;
 * `seenFetchedMs` is when the feed had last been fetched as the caller read it.
 */
export type RefreshFeed = (
  source: SignalSource,
  entity: Entity,
  entityRef: string,
  fromMs: number,
  seenFetchedMs: number | undefined,
  upstream?: UpstreamCaller,
) => Promise<void>;

/** What a pre-warming pass needs of the RefreshEngine. */
export interface PrewarmDeps {
  sourcesFor(entity: Entity): SignalSource[];
  /** Whether the source may not be called for the entity (not configured, not allowed). */
  blocked(source: SignalSource, entity: Entity): boolean;
  feeds: FeedStore;
  guards: Map<string, UpstreamGuard>;
  freshnessMs(sourceId: string): number;
  logger: LoggerService;
  clock: () => number;
  /** Waits `ms` (for spare budget). */
  sleep: (ms: number) => Promise<void>;
  refresh: RefreshFeed;
}

/** Whether a pre-warming job may spend the guard's budget: now, or (paced) after waiting. */
async function spareBudget(
  deps: PrewarmDeps,
  guard: UpstreamGuard,
  options: PrewarmOptions,
): Promise<boolean> {
  for (;;) {
    const waitMs = guard.spareBudgetInMs();
    if (waitMs === 0) return true;
    if (!options.paced || deps.clock() + waitMs >= options.deadlineMs)
      return false;
    await deps.sleep(waitMs);
  }
}

/** See `RefreshEngine.prewarm`. */
export async function prewarmPass(
  deps: PrewarmDeps,
  entities: Array<{ entity: Entity; entityRef: string }>,
  options: PrewarmOptions,
): Promise<number> {
  const work = new Map<string, Array<() => Promise<boolean>>>();
  for (const { entity, entityRef } of entities) {
    for (const source of deps.sourcesFor(entity)) {
      if (deps.blocked(source, entity)) continue;
      const jobs = work.get(source.id) ?? [];
      work.set(source.id, jobs);
      jobs.push(async () => {
        const feed = await deps.feeds.get(source.id, entityRef);
        const checkedMs = deps.clock();
        if (
          feed?.fetchedMs !== undefined &&
          checkedMs - feed.fetchedMs <
            Math.min(deps.freshnessMs(source.id), options.maxAgeMs ?? Infinity)
        ) {
          return false;
        }
        if (feed?.retryAfterMs !== undefined && feed.retryAfterMs > checkedMs)
          return false;
        const guard = deps.guards.get(source.id);
        if (guard && !(await spareBudget(deps, guard, options))) return false;
        try {
          await deps.refresh(
            source,
            entity,
            entityRef,
            deps.clock() - options.windowMs,
            feed?.fetchedMs,
            // Paced, the refresh's calls wait for their tokens until the deadline.
            options.paced ? guard?.patient(options.deadlineMs) : undefined,
          );
        } catch (e) {
          deps.logger.error(
            `Pre-warming ${source.id} for ${entityRef} failed: ${e}`,
          );
          // The database is gone: the rest of this run would fail the same way.
          if (isDatabaseUnavailableError(e)) throw e;
          return false;
        }
        return true;
      });
    }
  }
  // Past the deadline the remaining feeds are left for the next run.
  const done = await Promise.all(
    [...work.values()].map(jobs =>
      mapWithConcurrency(jobs, options.concurrency, job =>
        deps.clock() < options.deadlineMs ? job() : Promise.resolve(false),
      ),
    ),
  );
  return done.flat().filter(Boolean).length;
}
