import { Entity } from '@backstage/catalog-model';
import { DashSourceState } from '@dash-suite/plugin-dash-common';
import { SignalSource } from '@dash-suite/plugin-dash-node';
import { isDatabaseUnavailableError } from '../../database/databaseErrors';
import { Feed } from '../FeedStore/FeedStore';
import { FeedRefresher, delay, feedKey } from './FeedRefresher';
import { PrewarmOptions, prewarmPass } from './prewarmPass';
import { SourceBlock, sourceBlock } from './sourceChecks';
import {
  EnsureOptions,
  RefreshEngineOptions,
  retentionCutoff,
} from './RefreshEngineOptions';
import { SourceStates } from './SourceStates';

export type { EnsureOptions, RefreshEngineOptions };

/** How long a source's checks for one entity object are remembered. */
const BLOCK_MEMO_MS = 5_000;

/**
 * Decides, per (source, entity) feed, whether stored events are good enough, and refreshes the
 * ones that are not: fresh feeds are read as they are; stale ones are read now and refreshed in
 * the background (stale-while-revalidate), except for live mode (`waitForStale`); cold ones
 * are refreshed while the request waits at most `waitMs`. The refreshes themselves are the
 * FeedRefresher's: one per feed at a time, single-flight inside this replica, a database lease
 * across replicas.
 */
export class RefreshEngine {
  private readonly refresher: FeedRefresher;
  /** `blocked` answers per entity object (see there). */
  private readonly checks = new WeakMap<
    Entity,
    { atMs: number; blocks: Map<string, SourceBlock | undefined> }
  >();
  private readonly clock: () => number;
  private readonly sourceStates: SourceStates;

  constructor(private readonly options: RefreshEngineOptions) {
    this.clock = options.clock ?? Date.now;
    this.refresher = new FeedRefresher(options);
    this.sourceStates = new SourceStates({
      freshnessMs: options.freshnessMs,
      retentionMs: options.retentionMs,
      isRefreshing: (sourceId, entityRef) =>
        this.refresher.isRefreshing(sourceId, entityRef),
      clock: this.clock,
    });
  }

  /** Sources that apply to the entity. */
  sourcesFor(entity: Entity): SignalSource[] {
    return this.options.sources.filter(s => {
      try {
        return s.appliesTo(entity);
      } catch (e) {
        this.options.logger.warn(
          `Source ${s.id} failed to decide whether it applies: ${e}`,
        );
        return false;
      }
    });
  }

  /** Moves whenever this process wrote a feed ({@link FeedStore.generation}). */
  get feedsGeneration(): number {
    return this.options.feeds.generation;
  }

  /**
   * Makes the entity's feeds good enough for a read of events from `fromMs` on, within the
   * wait budget, and says where each source stands.
   */
  async ensure(
    entity: Entity,
    entityRef: string,
    fromMs: number,
    options: EnsureOptions,
    onlySources?: string[],
  ): Promise<DashSourceState[]> {
    return (
      await this.ensureMany(
        [{ entity, entityRef, onlySources }],
        fromMs,
        options,
      )
    )[0];
  }

  /**
   * `ensure` for several entities at once, with one database read for all their feeds (the
   * common case, all fresh, needs no other): what a timeline request with dependencies costs
   * does not grow by a query per entity. Answers the states of each entity, in order.
   */
  async ensureMany(
    entities: Array<{
      entity: Entity;
      entityRef: string;
      onlySources?: string[];
    }>,
    fromMs: number,
    options: EnsureOptions,
  ): Promise<DashSourceState[][]> {
    const wanted = entities.map(({ entity, onlySources }) =>
      this.sourcesFor(entity).filter(
        s => !onlySources || onlySources.includes(s.id),
      ),
    );
    const refs = [
      ...new Set(
        entities.filter((_, i) => wanted[i].length).map(e => e.entityRef),
      ),
    ];
    const feeds = new Map(
      (await this.options.feeds.getMany(refs)).map(f => [
        feedKey(f.source, f.entityRef),
        f,
      ]),
    );
    return Promise.all(
      entities.map(({ entity, entityRef }, i) =>
        Promise.all(
          wanted[i].map(s =>
            this.ensureFeed(
              s,
              entity,
              entityRef,
              fromMs,
              options,
              feeds.get(feedKey(s.id, entityRef)),
            ),
          ),
        ),
      ),
    );
  }

  /** Where each source stands for the entity, from the database alone (no refresh). */
  async states(entity: Entity, entityRef: string): Promise<DashSourceState[]> {
    return Promise.all(
      this.sourcesFor(entity).map(async s => {
        const block = this.blocked(s, entity);
        if (block) return this.sourceStates.blocked(s, entityRef, block);
        return this.sourceStates.of(
          s,
          entityRef,
          await this.options.feeds.get(s.id, entityRef),
        );
      }),
    );
  }

  /**
   * Refreshes stale or cold feeds of the given entities while the sources have budget to spare;
   * for the scheduled pre-warming and the live watch (which counts feeds older than `maxAgeMs`
   * as stale). Each source has its own `concurrency` workers, so a source that waits for its
   * budget holds up no other. A feed that finds no spare budget is skipped, or with `paced`
   * waits for it until the deadline, and so do its refresh's calls (`UpstreamGuard.patient`):
   * the pass then spends each budget's refill rate, keeping half of the bucket for user
   * requests. Returns how many feeds it refreshed.
   */
  prewarm(
    entities: Array<{ entity: Entity; entityRef: string }>,
    options: PrewarmOptions,
  ): Promise<number> {
    return prewarmPass(
      {
        sourcesFor: entity => this.sourcesFor(entity),
        blocked: (source, entity) => Boolean(this.blocked(source, entity)),
        feeds: this.options.feeds,
        guards: this.options.guards,
        freshnessMs: this.options.freshnessMs,
        logger: this.options.logger,
        clock: this.clock,
        sleep: this.options.sleep ?? delay,
        refresh: this.refresher.refreshOnce,
      },
      entities,
      options,
    );
  }

  /**
   * A source's configuration and allow-list checks for the entity (see `sourceBlock`),
   * remembered per entity object for a few seconds: every timeline request checks every source
   * of every entity it reads, the checks parse the entity's annotations, and the entity objects
   * come from the EntityReader's short-lived cache.
   */
  private blocked(
    source: SignalSource,
    entity: Entity,
  ): SourceBlock | undefined {
    const now = this.clock();
    let checked = this.checks.get(entity);
    if (!checked || now - checked.atMs >= BLOCK_MEMO_MS) {
      checked = { atMs: now, blocks: new Map() };
      this.checks.set(entity, checked);
    }
    if (!checked.blocks.has(source.id)) {
      checked.blocks.set(
        source.id,
        sourceBlock(source, entity, this.options.logger),
      );
    }
    return checked.blocks.get(source.id);
  }

  private async ensureFeed(
    source: SignalSource,
    entity: Entity,
    entityRef: string,
    fromMs: number,
    options: EnsureOptions,
    feed: Feed | undefined,
  ): Promise<DashSourceState> {
    const block = this.blocked(source, entity);
    if (block) return this.sourceStates.blocked(source, entityRef, block);

    const now = this.clock();
    // Nothing before the retention cutoff is kept, so nothing before it is fetched: a window
    // wholly before it is answered from the store, one partly before it is fetched from it.
    const cutoffMs = retentionCutoff(this.options.retentionMs, now);
    if (options.toMs !== undefined && options.toMs < cutoffMs) {
      return this.sourceStates.pastRetention(source, entityRef, feed, cutoffMs);
    }
    const windowFromMs = Math.max(fromMs, cutoffMs);
    const covered =
      feed?.fetchedMs !== undefined &&
      feed.coveredFromMs !== undefined &&
      feed.coveredFromMs <= windowFromMs;
    const freshness = Math.min(
      this.options.freshnessMs(source.id),
      options.maxAgeMs ?? Infinity,
    );
    const fresh = covered && now - feed!.fetchedMs! < freshness;
    // Waiting out a rate limit, or backing off after failures: no upstream call; readers get
    // what is stored, the last failure and the next try. The refresh button (`force`) is a
    // person asking to try now (say, after fixing a token): it skips a failure backoff, but
    // never a rate limit the upstream asked us to respect.
    const backingOff =
      feed?.retryAfterMs !== undefined &&
      feed.retryAfterMs > now &&
      (!options.force || feed.status === 'rate-limited');

    if ((fresh && !options.force) || backingOff) {
      return this.sourceStates.of(source, entityRef, feed);
    }
    if (covered && !options.force && !options.waitForStale) {
      // Stale: answer from the store now, refresh behind the answer.
      if (options.revalidate !== false) {
        this.refresher
          .refreshOnce(source, entity, entityRef, windowFromMs, feed?.fetchedMs)
          .catch(e =>
            this.options.logger.error(
              `Background refresh of ${source.id} for ${entityRef} failed: ${e}`,
            ),
          );
      }
      return this.sourceStates.of(source, entityRef, feed);
    }
    // Cold, not covering the window, forced, or stale in live mode: wait for the refresh, but
    // not for long.
    // A refresh that could not even record its outcome fails this source, not the page (an
    // unreachable database fails the page: nothing could be read either).
    const refresh = this.refresher.refreshOnce(
      source,
      entity,
      entityRef,
      windowFromMs,
      feed?.fetchedMs,
    );
    const finished = await Promise.race([
      refresh.then(
        () => true,
        (e: unknown) => {
          if (isDatabaseUnavailableError(e)) throw e;
          this.options.logger.error(
            `Refreshing ${source.id} for ${entityRef} failed: ${e}`,
          );
          return e instanceof Error ? e : new Error(String(e));
        },
      ),
      delay(options.waitMs).then(() => false),
    ]);
    const after = await this.options.feeds.get(source.id, entityRef);
    if (finished instanceof Error) {
      return this.sourceStates.failedUnrecorded(source, entityRef, after);
    }
    if (covered && !options.force && !finished) {
      // A live view's wait for a stale feed ran out: the refresh goes on behind the answer,
      // announced only when what is shown is stale by the source's own freshness.
      return this.sourceStates.of(source, entityRef, after);
    }
    return this.sourceStates.afterWait(source, entityRef, after, finished);
  }
}
