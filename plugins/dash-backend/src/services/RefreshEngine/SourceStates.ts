import {
  DAY_MS,
  DashSourceState,
  DashSourceStatus,
  MINUTE_MS,
} from '@dash-suite/plugin-dash-common';
import { SignalSource } from '@dash-suite/plugin-dash-node';
import { Feed } from '../FeedStore/FeedStore';
import { SourceBlock } from './sourceChecks';

/**
 * The statuses a failed refresh leaves that a reader must see as they are, not as
 * `refreshing`. Keyed by every status, so a new one cannot be added without deciding.
 */
const SHOWN_AFTER_A_REFRESH: Record<DashSourceStatus, boolean> = {
  ok: false,
  stale: false,
  refreshing: false,
  'rate-limited': true,
  'timed-out': true,
  unauthorized: true,
  error: true,
  'not-configured': false,
  'not-allowed': false,
};

/**
 * Where a source stands for an entity, as the reader sees it (`DashSourceState`), built from
 * its stored feed: fetched and fresh, stale, refreshing, failed and backing off, blocked by a
 * check, or asked for a window past retention.
 */
export class SourceStates {
  constructor(
    private readonly options: {
      /** How long a fetch stays fresh, per source. */
      freshnessMs: (sourceId: string) => number;
      /** Events older than this are deleted (undefined: no retention). */
      retentionMs?: number;
      /** Whether this replica is refreshing the feed right now. */
      isRefreshing: (sourceId: string, entityRef: string) => boolean;
      clock: () => number;
    },
  ) {}

  /** The state of a feed, from what is stored. */
  of(source: SignalSource, entityRef: string, feed?: Feed): DashSourceState {
    const state: DashSourceState = {
      id: source.id,
      title: source.title,
      entityRef,
      status: 'ok',
    };
    if (feed?.fetchedMs !== undefined) {
      state.fetchedAt = new Date(feed.fetchedMs).toISOString();
    }
    const now = this.options.clock();
    // `refreshing` tells a reader that what they see is old and newer events are coming. A
    // refresh of a feed that is still fresh by its source's own freshness (a live view refreshes
    // sooner) is not announced: what is shown is current, and the answer (and its ETag) stays
    // the same while the refresh runs, so live tabs polling with If-None-Match get 304.
    const freshBySource =
      feed?.fetchedMs !== undefined &&
      now - feed.fetchedMs < this.options.freshnessMs(source.id);
    const refreshing =
      !freshBySource &&
      (this.options.isRefreshing(source.id, entityRef) ||
        (feed?.leaseOwner !== undefined && (feed.leaseExpiresMs ?? 0) > now));
    if (feed && feed.status !== 'ok') {
      state.status = feed.status;
      state.message = feed.error;
      if (feed.retryAfterMs && feed.retryAfterMs > now) {
        const next = new Date(feed.retryAfterMs).toISOString();
        state.nextAttemptAt = next;
        if (feed.status === 'rate-limited') state.retryAfter = next;
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
        (now - feed.fetchedMs) / MINUTE_MS,
      )} min ago`;
    } else if (feed.error) {
      // Fetched, but some events could not be stored: say so.
      state.message = feed.error;
    }
    return state;
  }

  /** Not configured, not allowed, or a check that threw: the source is not called. */
  blocked(
    source: SignalSource,
    entityRef: string,
    block: SourceBlock,
  ): DashSourceState {
    return {
      id: source.id,
      title: source.title,
      entityRef,
      status: block.status,
      message: block.message,
    };
  }

  /** A window wholly before the retention cutoff: what is stored, and why nothing is fetched. */
  pastRetention(
    source: SignalSource,
    entityRef: string,
    feed: Feed | undefined,
    cutoffMs: number,
  ): DashSourceState {
    const state = this.of(source, entityRef, feed);
    if (state.status !== 'ok' && state.status !== 'stale') return state;
    return {
      ...state,
      status: 'ok',
      message: `This window ends before ${new Date(
        cutoffMs,
      ).toISOString()}, past the ${Math.round(
        (this.options.retentionMs ?? 0) / DAY_MS,
      )}-day retention: nothing is fetched for it`,
    };
  }

  /** A refresh that threw before it could record its outcome (the log has the error). */
  failedUnrecorded(
    source: SignalSource,
    entityRef: string,
    feed: Feed | undefined,
  ): DashSourceState {
    return {
      ...this.of(source, entityRef, feed),
      status: 'error',
      message: `Refreshing ${source.title} failed and the outcome could not be stored; the backend log has the details`,
    };
  }

  /**
   * After waiting for a refresh: the feed's state, or `refreshing` when the wait ran out
   * before the refresh finished (and it has not failed).
   */
  afterWait(
    source: SignalSource,
    entityRef: string,
    feed: Feed | undefined,
    finished: boolean,
  ): DashSourceState {
    const state = this.of(source, entityRef, feed);
    if (finished || SHOWN_AFTER_A_REFRESH[state.status]) return state;
    return {
      ...state,
      status: 'refreshing',
      message: feed?.fetchedMs
        ? 'Fetching newer events; showing what is stored'
        : `Fetching from ${source.title} for the first time; events appear as they arrive`,
    };
  }
}
