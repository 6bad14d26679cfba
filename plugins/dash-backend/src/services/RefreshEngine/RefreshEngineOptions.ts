import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalSource } from '@dash-suite/plugin-dash-node';
import { EventStore } from '../EventStore/EventStore';
import { FeedStore } from '../FeedStore/FeedStore';
import { TimelineChanges } from '../TimelineSignals/TimelineSignals';
import { UpstreamGuard } from '../UpstreamGuard/UpstreamGuard';
import { BackoffSettings } from './backoff';

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
  /**
   * How often a running refresh renews its lease (default a third of `leaseMs`; 0 turns the
   * heartbeat off, for tests).
   */
  leaseRenewMs?: number;
  /** Events older than this are deleted; no fetch reaches further back (default: no limit). */
  retentionMs?: number;
  /** Per-feed backoff after failures (default `DEFAULT_BACKOFF`). */
  backoff?: BackoffSettings;
  /** Told when a refresh stored new or updated events (live tabs refetch on it). */
  changes?: TimelineChanges;
  clock?: () => number;
  /** Waits `ms` (paced pre-warming waits for budget); tests pass one that moves their clock. */
  sleep?: (ms: number) => Promise<void>;
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
  /**
   * Wait for a stale feed's refresh, as for a cold one (up to `waitMs`), instead of refreshing it
   * behind the answer: live mode, whose every poll should show what the upstream has now, not
   * what it had one poll ago.
   */
  waitForStale?: boolean;
  /**
   * End of the window read. A window that ends before the retention cutoff is answered from
   * the store without any upstream call; one that starts before it is fetched from the cutoff.
   */
  toMs?: number;
}

/** The earliest time kept by retention (the beginning of time without retention). */
export function retentionCutoff(
  retentionMs: number | undefined,
  now: number,
): number {
  return retentionMs === undefined ? -Infinity : now - retentionMs;
}
