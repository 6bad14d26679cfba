import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  DASH_EVENT_KINDS,
  DASH_SEVERITIES,
  DashEvent,
  DashSourceState,
  DashSourceStatus,
} from '@dash-suite/plugin-dash-common';
import {
  SignalSource,
  UpstreamError,
  mapWithConcurrency,
  safeLink,
} from '@dash-suite/plugin-dash-node';
import { EventStore } from '../EventStore/EventStore';
import { Feed, FeedStore } from '../FeedStore/FeedStore';
import { UpstreamGuard } from '../UpstreamGuard/UpstreamGuard';

export interface RefreshEngineOptions {
  sources: SignalSource[];
  events: EventStore;
  feeds: FeedStore;
  guards: Map<string, UpstreamGuard>;
  logger: LoggerService;
  /** Names this replica in feed leases. */
  instanceId: string;
  /** How long a fetch stays fresh, per source. */
  freshnessMs: (sourceId: string) => number;
  /** How far back an incremental fetch re-reads, to catch updates (resolves, status changes). */
  overlapMs: number;
  /** How long a lease lasts; a replica that dies mid-refresh blocks the feed at most this long. */
  leaseMs: number;
  /** How often a replica waiting on another's lease looks again. */
  leasePollMs?: number;
  clock?: () => number;
}

export interface EnsureOptions {
  /** Refresh even when fresh (the refresh button). */
  force?: boolean;
  /** How long to wait for a cold (or forced) feed before answering with what is stored. */
  waitMs: number;
  /** Start refreshes for stale feeds in the background (default true). */
  revalidate?: boolean;
  /** Count feeds older than this as stale, when it is shorter than the source's freshness. */
  maxAgeMs?: number;
}

const feedKey = (sourceId: string, entityRef: string) =>
  `${sourceId}\u0000${entityRef}`;

const ERROR_STATUSES: ReadonlyArray<DashSourceStatus> = [
  'rate-limited',
  'timed-out',
  'unauthorized',
  'error',
];

/**
 * Decides, per (source, entity) feed, whether stored events are good enough, and refreshes the
 * ones that are not: fresh feeds are read as they are; stale ones are read now and refreshed in
 * the background (stale-while-revalidate); cold ones are refreshed while the request waits at
 * most `waitMs`. One refresh per feed at a time: single-flight inside this replica, a database
 * lease across replicas.
 */
export class RefreshEngine {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly clock: () => number;
  private readonly leasePollMs: number;

  constructor(private readonly options: RefreshEngineOptions) {
    this.clock = options.clock ?? Date.now;
    this.leasePollMs = options.leasePollMs ?? 250;
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
    const sources = this.sourcesFor(entity).filter(
      s => !onlySources || onlySources.includes(s.id),
    );
    if (sources.length === 0) return [];
    // One read for all of the entity's feeds; the common case (all fresh) needs no other.
    const feeds = new Map(
      (await this.options.feeds.getMany([entityRef])).map(f => [f.source, f]),
    );
    return Promise.all(
      sources.map(s =>
        this.ensureFeed(s, entity, entityRef, fromMs, options, feeds.get(s.id)),
      ),
    );
  }

  /** Where each source stands for the entity, from the database alone (no refresh). */
  async states(entity: Entity, entityRef: string): Promise<DashSourceState[]> {
    return Promise.all(
      this.sourcesFor(entity).map(async s => {
        const problem = this.configurationProblem(s, entity);
        if (problem) return this.notConfigured(s, entityRef, problem);
        return this.stateOf(
          s,
          entityRef,
          await this.options.feeds.get(s.id, entityRef),
        );
      }),
    );
  }

  /**
   * Refreshes stale or cold feeds of the given entities while the sources have budget to spare;
   * for the scheduled pre-warming. Returns how many feeds it refreshed.
   */
  async prewarm(
    entities: Array<{ entity: Entity; entityRef: string }>,
    options: { windowMs: number; concurrency: number; deadlineMs: number },
  ): Promise<number> {
    const work: Array<() => Promise<boolean>> = [];
    for (const { entity, entityRef } of entities) {
      for (const source of this.sourcesFor(entity)) {
        if (this.configurationProblem(source, entity)) continue;
        work.push(async () => {
          const guard = this.options.guards.get(source.id);
          if (guard && !guard.hasSpareBudget()) return false;
          const feed = await this.options.feeds.get(source.id, entityRef);
          const now = this.clock();
          if (
            feed?.fetchedMs !== undefined &&
            now - feed.fetchedMs < this.options.freshnessMs(source.id)
          ) {
            return false;
          }
          if (feed?.retryAfterMs !== undefined && feed.retryAfterMs > now)
            return false;
          await this.refreshOnce(
            source,
            entity,
            entityRef,
            now - options.windowMs,
          );
          return true;
        });
      }
    }
    // Past the deadline the remaining feeds are left for the next run.
    const done = await mapWithConcurrency(work, options.concurrency, job =>
      this.clock() < options.deadlineMs ? job() : Promise.resolve(false),
    );
    return done.filter(Boolean).length;
  }

  private configurationProblem(
    source: SignalSource,
    entity: Entity,
  ): string | undefined {
    try {
      return source.configurationProblem?.(entity);
    } catch (e) {
      return `Could not check the configuration: ${e}`;
    }
  }

  private notConfigured(
    source: SignalSource,
    entityRef: string,
    message: string,
  ): DashSourceState {
    return {
      id: source.id,
      title: source.title,
      entityRef,
      status: 'not-configured',
      message,
    };
  }

  private async ensureFeed(
    source: SignalSource,
    entity: Entity,
    entityRef: string,
    fromMs: number,
    options: EnsureOptions,
    feed: Feed | undefined,
  ): Promise<DashSourceState> {
    const problem = this.configurationProblem(source, entity);
    if (problem) return this.notConfigured(source, entityRef, problem);

    const now = this.clock();
    const covered =
      feed?.fetchedMs !== undefined &&
      feed.coveredFromMs !== undefined &&
      feed.coveredFromMs <= fromMs;
    const freshness = Math.min(
      this.options.freshnessMs(source.id),
      options.maxAgeMs ?? Infinity,
    );
    const fresh = covered && now - feed!.fetchedMs! < freshness;
    const waitingOutRateLimit =
      feed?.retryAfterMs !== undefined && feed.retryAfterMs > now;

    if ((fresh && !options.force) || waitingOutRateLimit) {
      return this.stateOf(source, entityRef, feed);
    }
    if (covered && !options.force) {
      // Stale: answer from the store now, refresh behind the answer.
      if (options.revalidate !== false) {
        this.refreshOnce(source, entity, entityRef, fromMs).catch(() => {});
      }
      return this.stateOf(source, entityRef, feed);
    }
    // Cold, not covering the window, or forced: wait for the refresh, but not for long.
    const refresh = this.refreshOnce(source, entity, entityRef, fromMs);
    const finished = await Promise.race([
      refresh.then(() => true),
      delay(options.waitMs).then(() => false),
    ]);
    const after = await this.options.feeds.get(source.id, entityRef);
    const state = this.stateOf(source, entityRef, after);
    if (!finished && !ERROR_STATUSES.includes(state.status)) {
      return {
        ...state,
        status: 'refreshing',
        message: after?.fetchedMs
          ? 'Fetching newer events; showing what is stored'
          : `Fetching from ${source.title} for the first time; events appear as they arrive`,
      };
    }
    return state;
  }

  private stateOf(
    source: SignalSource,
    entityRef: string,
    feed?: Feed,
  ): DashSourceState {
    const state: DashSourceState = {
      id: source.id,
      title: source.title,
      entityRef,
      status: 'ok',
    };
    if (feed?.fetchedMs !== undefined) {
      state.fetchedAt = new Date(feed.fetchedMs).toISOString();
    }
    const now = this.clock();
    const refreshing =
      this.inFlight.has(feedKey(source.id, entityRef)) ||
      (feed?.leaseOwner !== undefined && (feed.leaseExpiresMs ?? 0) > now);
    if (feed && feed.status !== 'ok') {
      state.status = feed.status;
      state.message = feed.error;
      if (feed.retryAfterMs && feed.retryAfterMs > now) {
        state.retryAfter = new Date(feed.retryAfterMs).toISOString();
      }
    } else if (refreshing) {
      state.status = 'refreshing';
      state.message = 'Fetching newer events; showing what is stored';
    } else if (!feed?.fetchedMs) {
      state.status = 'stale';
      state.message = `Not fetched from ${source.title} yet`;
    } else if (now - feed.fetchedMs >= this.options.freshnessMs(source.id)) {
      state.status = 'stale';
      state.message = `Last fetched ${Math.round(
        (now - feed.fetchedMs) / 60_000,
      )} min ago`;
    }
    return state;
  }

  /** One refresh per feed at a time in this replica; callers share the running one. */
  private refreshOnce(
    source: SignalSource,
    entity: Entity,
    entityRef: string,
    fromMs: number,
  ): Promise<void> {
    const key = feedKey(source.id, entityRef);
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = this.refresh(source, entity, entityRef, fromMs).finally(
      () => {
        this.inFlight.delete(key);
      },
    );
    this.inFlight.set(key, promise);
    return promise;
  }

  private async refresh(
    source: SignalSource,
    entity: Entity,
    entityRef: string,
    requestedFromMs: number,
  ): Promise<void> {
    const { feeds, events, logger, instanceId, leaseMs } = this.options;
    const acquired = await feeds.tryAcquire(
      source.id,
      entityRef,
      instanceId,
      leaseMs,
      this.clock(),
    );
    if (!acquired) {
      await this.waitForOtherReplica(source.id, entityRef);
      return;
    }
    const feed = await feeds.get(source.id, entityRef);
    const now = this.clock();
    let fromMs = requestedFromMs;
    if (
      feed?.fetchedMs !== undefined &&
      feed.coveredFromMs !== undefined &&
      feed.coveredFromMs <= requestedFromMs
    ) {
      // Incremental: from the last fetch, minus an overlap that catches late updates.
      fromMs = Math.max(
        feed.coveredFromMs,
        feed.fetchedMs - this.options.overlapMs,
      );
    }
    const guard = this.options.guards.get(source.id);
    try {
      if (!guard) throw new Error(`No guard for source ${source.id}`);
      const result = await source.fetchEvents(
        {
          entity,
          entityRef,
          from: new Date(fromMs),
          to: new Date(now),
          cursor: feed?.cursor,
        },
        { upstream: guard, logger: logger.child({ source: source.id }) },
      );
      const clean = sanitize(result.events ?? [], source.id, entityRef, logger);
      await events.upsert(clean);
      await feeds.markSuccess(source.id, entityRef, instanceId, {
        fetchedMs: now,
        fetchedFromMs: fromMs,
        cursor: result.cursor,
      });
    } catch (e) {
      const failure = classify(e);
      logger.warn(
        `Refreshing ${source.id} for ${entityRef} failed (${failure.status}): ${failure.message}`,
      );
      await feeds.markFailure(source.id, entityRef, instanceId, {
        attemptedMs: now,
        status: failure.status,
        error: failure.message,
        retryAfterMs:
          failure.retryAfterMs !== undefined
            ? now + failure.retryAfterMs
            : undefined,
      });
    }
  }

  /** Another replica holds the lease: wait until it finishes (or its lease runs out). */
  private async waitForOtherReplica(sourceId: string, entityRef: string) {
    const before = await this.options.feeds.get(sourceId, entityRef);
    const deadline = this.clock() + this.options.leaseMs;
    while (this.clock() < deadline) {
      await delay(this.leasePollMs);
      const now = await this.options.feeds.get(sourceId, entityRef);
      if (
        !now?.leaseOwner ||
        (now.leaseExpiresMs ?? 0) < this.clock() ||
        now.attemptedMs !== before?.attemptedMs
      ) {
        return;
      }
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
}

function classify(e: unknown): {
  status: DashSourceStatus;
  message: string;
  retryAfterMs?: number;
} {
  if (UpstreamError.isUpstreamError(e)) {
    return {
      status: e.status,
      message: e.message,
      retryAfterMs: e.retryAfterMs,
    };
  }
  return {
    status: 'error',
    message: e instanceof Error ? e.message : String(e),
  };
}

const KINDS = new Set<string>(DASH_EVENT_KINDS);
const SEVERITIES = new Set<string>(DASH_SEVERITIES);

/**
 * Keeps what a source returned honest: the event belongs to the entity and source it was
 * fetched for, has a known kind and severity and parseable times, and links only to http(s).
 * A bad event is dropped with a warning; it never sinks the feed.
 */
export function sanitize(
  events: DashEvent[],
  sourceId: string,
  entityRef: string,
  logger: LoggerService,
): DashEvent[] {
  const clean: DashEvent[] = [];
  let dropped = 0;
  for (const e of events) {
    const start = Date.parse(e?.startTime);
    const end = e?.endTime ? Date.parse(e.endTime) : undefined;
    if (
      !e ||
      typeof e.id !== 'string' ||
      !e.id ||
      !KINDS.has(e.kind) ||
      Number.isNaN(start) ||
      (end !== undefined && Number.isNaN(end))
    ) {
      dropped += 1;
      continue;
    }
    clean.push({
      ...e,
      source: sourceId,
      entityRef,
      title: String(e.title ?? '').slice(0, 500) || e.id,
      severity: SEVERITIES.has(e.severity) ? e.severity : 'info',
      startTime: new Date(start).toISOString(),
      endTime: end !== undefined ? new Date(end).toISOString() : undefined,
      url: safeLink(e.url),
      attributes:
        e.attributes && typeof e.attributes === 'object' ? e.attributes : {},
    });
  }
  if (dropped) {
    logger.warn(
      `Dropped ${dropped} malformed event(s) from ${sourceId} for ${entityRef}`,
    );
  }
  return clean;
}
