import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogFeed } from '@dash-suite/plugin-project-catalog-common';
import { CatalogFeedSource } from './ProjectCatalogFeedClient';
import { normalizeEntityRef } from './normalizeEntityRef';

/**
 * The feed as the catalog module uses it: overlays keyed by normalized entity ref.
 *
 * @public
 */
export interface OverlaySnapshot {
  /** False until the first successful load; overlays and projects are empty then. */
  loaded: boolean;
  revision?: number;
  /** Field values per entity ref, keyed by `normalizeEntityRef`. */
  overlays: ReadonlyMap<string, Record<string, unknown>>;
  /** UI-created projects as the backend built them. */
  projects: readonly Entity[];
}

/** Called with the new snapshot whenever a load brings a different revision. */
export type OverlayCacheListener = (
  snapshot: OverlaySnapshot,
) => void | Promise<void>;

const EMPTY: OverlaySnapshot = {
  loaded: false,
  overlays: new Map(),
  projects: [],
};

function toSnapshot(feed: CatalogFeed): OverlaySnapshot {
  const overlays = new Map<string, Record<string, unknown>>();
  for (const { entityRef, fields } of feed.overlays) {
    const key = normalizeEntityRef(entityRef);
    if (key) overlays.set(key, { ...overlays.get(key), ...fields });
  }
  return {
    loaded: true,
    revision: feed.revision,
    overlays,
    projects: feed.projects,
  };
}

/**
 * Holds the latest Project Catalog feed for the catalog processor and the entity provider.
 *
 * - `get()` answers from memory while the feed is younger than `revalidateMs` (counted from the
 *   end of the last request, failed or not), so N entities processed within that window cost
 *   at most one backend request; after it, one conditional GET (`If-None-Match`, usually a
 *   304) is shared by every concurrent caller, and a caller waits for it at most `maxWaitMs`.
 * - `revalidate(revision)` loads now (for announcements), unless the cache already holds that
 *   revision or newer; it never joins a request that started before it was called.
 * - A failing backend never throws: the last feed stays in use (before the first success, an
 *   empty one), and one warning is logged per failure streak.
 *
 * @public
 */
export class OverlayCache {
  private readonly source: CatalogFeedSource;
  private readonly logger: LoggerService;
  private readonly revalidateMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly listeners = new Set<OverlayCacheListener>();
  private snapshot: OverlaySnapshot = EMPTY;
  private etag?: string;
  /** When the last request settled, successful or not. */
  private settledAt?: number;
  private inflight?: Promise<void>;
  private boundedWait?: Promise<void>;
  private failingSince?: number;

  constructor(options: {
    source: CatalogFeedSource;
    logger: LoggerService;
    /** How long a loaded feed is used without asking the backend again. */
    revalidateMs: number;
    /** How long `get()` waits for a revalidation before answering from memory. Default 3 s. */
    maxWaitMs?: number;
    /** The clock, for tests. */
    now?: () => number;
  }) {
    this.source = options.source;
    this.logger = options.logger;
    this.revalidateMs = options.revalidateMs;
    this.maxWaitMs = options.maxWaitMs ?? 3000;
    this.now = options.now ?? Date.now;
  }

  /** The snapshot in memory, without any request. */
  current(): OverlaySnapshot {
    return this.snapshot;
  }

  /**
   * The snapshot, revalidated first when older than the window. Never throws and never waits
   * longer than `maxWaitMs`.
   */
  async get(): Promise<OverlaySnapshot> {
    if (this.isFresh()) return this.snapshot;
    if (!this.boundedWait) {
      const request = this.request();
      const bounded = new Promise<void>(resolve => {
        const timer = setTimeout(resolve, this.maxWaitMs);
        timer.unref?.();
        request.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.boundedWait = bounded;
      request.then(() => {
        if (this.boundedWait === bounded) this.boundedWait = undefined;
      });
    }
    await this.boundedWait;
    return this.snapshot;
  }

  /**
   * Loads the feed now, regardless of the window, unless the snapshot already has
   * `minRevision` or newer. Never throws.
   */
  async revalidate(minRevision?: number): Promise<OverlaySnapshot> {
    // A request already under way may have started before the change being announced.
    if (this.inflight) await this.inflight;
    if (this.hasRevision(minRevision)) return this.snapshot;
    // Any request in flight now started after this call: joining it is enough.
    await this.request();
    return this.snapshot;
  }

  /** Calls `listener` after each load that brought a new revision; returns an unsubscribe. */
  onChange(listener: OverlayCacheListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private isFresh(): boolean {
    return (
      this.settledAt !== undefined &&
      this.now() - this.settledAt < this.revalidateMs
    );
  }

  private hasRevision(minRevision?: number): boolean {
    return (
      minRevision !== undefined &&
      this.snapshot.revision !== undefined &&
      this.snapshot.revision >= minRevision
    );
  }

  /** The request in flight, or a new one; the promise never rejects. */
  private request(): Promise<void> {
    if (!this.inflight) {
      this.inflight = this.load().finally(() => {
        this.settledAt = this.now();
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  private async load(): Promise<void> {
    try {
      const result = await this.source.fetchFeed(
        this.snapshot.loaded ? this.etag : undefined,
      );
      if (result.notModified) {
        if (this.snapshot.loaded) this.recovered();
        else this.failed(new Error('304 Not Modified to an unconditional GET'));
        return;
      }
      const changed =
        !this.snapshot.loaded ||
        result.feed.revision !== this.snapshot.revision;
      this.snapshot = toSnapshot(result.feed);
      this.etag = result.etag;
      this.recovered();
      if (changed) this.notify();
    } catch (error) {
      this.failed(error);
    }
  }

  private notify(): void {
    const snapshot = this.snapshot;
    for (const listener of this.listeners) {
      Promise.resolve()
        .then(() => listener(snapshot))
        .catch(error =>
          this.logger.warn(`Project Catalog feed listener failed: ${error}`),
        );
    }
  }

  private recovered(): void {
    if (this.failingSince === undefined) return;
    const seconds = Math.round((this.now() - this.failingSince) / 1000);
    this.failingSince = undefined;
    this.logger.info(
      `Project Catalog feed loaded again (revision ${this.snapshot.revision}) after failing for ${seconds} s`,
    );
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.failingSince !== undefined) {
      this.logger.debug(`Project Catalog feed still unavailable: ${message}`);
      return;
    }
    this.failingSince = this.now();
    const consequence = this.snapshot.loaded
      ? `keeping revision ${this.snapshot.revision}`
      : 'entities pass through without UI overlays until it loads';
    this.logger.warn(
      `Project Catalog feed unavailable (${message}); ${consequence}; retrying at most every ${this.revalidateMs} ms`,
    );
  }
}
