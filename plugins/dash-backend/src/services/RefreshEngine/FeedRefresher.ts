import { Entity } from '@backstage/catalog-model';
import { SignalSource, UpstreamCaller } from '@dash-suite/plugin-dash-node';
import { isDatabaseUnavailableError } from '../../database/databaseErrors';
import { classifyFailure } from '../UpstreamGuard/classifyFailure';
import { DEFAULT_BACKOFF, backoffDelayMs } from './backoff';
import { LeaseHeartbeat } from './LeaseHeartbeat';
import { RefreshFeed } from './prewarmPass';
import { RefreshEngineOptions, retentionCutoff } from './RefreshEngineOptions';
import { sanitizeEvents } from './sanitizeEvents';
import { readStoredEvents } from './storedEvents';

/** A feed's key in maps: its source and its entity. */
export const feedKey = (sourceId: string, entityRef: string) =>
  `${sourceId}\u0000${entityRef}`;

/**
 * Refreshes one feed (source, entity): takes its lease in the database (so that one replica
 * fetches it at a time; another waits for that one's outcome), fetches from the last fetch minus
 * the overlap (or the window asked for, never before retention), stores the sanitized events and
 * the feed's new state while it still holds the lease, and on failure records the status and the
 * next attempt (per-feed backoff). Callers in this replica share a refresh that is running.
 */
export class FeedRefresher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly clock: () => number;
  private readonly leasePollMs: number;

  constructor(private readonly options: RefreshEngineOptions) {
    this.clock = options.clock ?? Date.now;
    this.leasePollMs = options.leasePollMs ?? 250;
  }

  /** Whether this replica is refreshing the feed now. */
  isRefreshing(sourceId: string, entityRef: string): boolean {
    return this.inFlight.has(feedKey(sourceId, entityRef));
  }

  /** One refresh per feed at a time in this replica; callers share the running one. */
  readonly refreshOnce: RefreshFeed = (...args) => {
    const [source, , entityRef] = args;
    const key = feedKey(source.id, entityRef);
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = this.refresh(...args).finally(() => {
      this.inFlight.delete(key);
    });
    this.inFlight.set(key, promise);
    return promise;
  };

  private async refresh(
    source: SignalSource,
    entity: Entity,
    entityRef: string,
    requestedFromMs: number,
    seenFetchedMs: number | undefined,
    upstream: UpstreamCaller | undefined,
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
    // Never before the retention cutoff (the pre-warming asks for its own window too).
    const cutoffMs = retentionCutoff(this.options.retentionMs, now);
    let fromMs = Math.max(requestedFromMs, cutoffMs);
    if (
      feed?.fetchedMs !== undefined &&
      feed.fetchedMs > (seenFetchedMs ?? -Infinity) &&
      feed.coveredFromMs !== undefined &&
      feed.coveredFromMs <= fromMs
    ) {
      // Another refresh (here or on another replica) finished between the caller's read of the
      // feed and this lease, and covers the window: fetching again would only repeat it.
      await feeds.release(source.id, entityRef, instanceId);
      return;
    }
    if (
      feed?.fetchedMs !== undefined &&
      feed.coveredFromMs !== undefined &&
      feed.coveredFromMs <= fromMs
    ) {
      // Incremental: from the last fetch, minus an overlap that catches late updates.
      fromMs = Math.max(
        feed.coveredFromMs,
        feed.fetchedMs - this.options.overlapMs,
        cutoffMs,
      );
    }
    const guard = this.options.guards.get(source.id);
    const heartbeat = new LeaseHeartbeat({
      feeds,
      sourceId: source.id,
      entityRef,
      owner: instanceId,
      leaseMs,
      intervalMs: this.options.leaseRenewMs ?? Math.floor(leaseMs / 3),
      clock: this.clock,
      logger,
    }).start();
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
        {
          upstream: upstream ?? guard,
          logger: logger.child({ source: source.id }),
          readStoredEvents: q =>
            readStoredEvents(events, source.id, entityRef, q),
        },
      );
      const clean = sanitizeEvents(result.events ?? [], source, entityRef);
      if (clean.problem) logger.warn(`${clean.problem} for ${entityRef}`);
      // Fenced by the lease. A refresh that lost it (it ran past its lease and another replica
      // took the feed over) writes nothing, not even its events: they are upserted by id, so
      // an older copy would overwrite the newer one the other replica stored (an incident
      // resolved there would read as open again). Nothing is lost: the covered range is not
      // widened either, so whatever only this refresh had read is fetched again.
      if (!(await heartbeat.confirm())) {
        this.lostLease(source.id, entityRef);
        return;
      }
      const stored = await events.upsertChanges(clean.events);
      const recorded = await feeds.markSuccess(
        source.id,
        entityRef,
        instanceId,
        {
          fetchedMs: now,
          fetchedFromMs: fromMs,
          cursor: result.cursor,
          warning:
            [result.warning?.trim(), clean.problem]
              .filter(Boolean)
              .join('; ') || undefined,
        },
      );
      if (!recorded) this.lostLease(source.id, entityRef);
      // Stored either way: live tabs are told to look again.
      if (stored.created.size || stored.updated.size) {
        this.options.changes?.changed(entityRef, source.id);
      }
    } catch (e) {
      if (isDatabaseUnavailableError(e)) {
        // Not the source's fault: leave its status alone (the lease runs out by itself).
        logger.error(
          `Refreshing ${source.id} for ${entityRef}: the database is not reachable: ${e}`,
        );
        throw e;
      }
      const failure = classifyFailure(e);
      // Back off per feed: no upstream call for this feed before the next attempt.
      const failures = (feed?.failures ?? 0) + 1;
      const waitMs = backoffDelayMs(
        this.options.backoff ?? DEFAULT_BACKOFF,
        failure.status,
        failures,
        failure.retryAfterMs,
      );
      logger.warn(
        `Refreshing ${source.id} for ${entityRef} failed (${failure.status}): ${
          failure.message
        }; failure ${failures} in a row, next attempt in ${Math.ceil(
          waitMs / 1000,
        )} s`,
      );
      const recorded = await feeds.markFailure(
        source.id,
        entityRef,
        instanceId,
        {
          attemptedMs: now,
          status: failure.status,
          error: failure.message,
          retryAfterMs: this.clock() + waitMs,
          failures,
        },
      );
      if (!recorded) this.lostLease(source.id, entityRef);
    } finally {
      heartbeat.stop();
    }
  }

  private lostLease(sourceId: string, entityRef: string) {
    this.options.logger.warn(
      `Refreshing ${sourceId} for ${entityRef}: the lease ran out and another replica took the feed over; this refresh's outcome is dropped`,
    );
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

/** Resolves after `ms`, without keeping the process alive. */
export function delay(ms: number): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
}
