import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DAY_MS } from '@dash-suite/plugin-dash-common';
import { readNonNegative } from '../../config';
import { CHANGES_SOURCE_ID } from '../ChangeIngest/changeIds';
import { EventStore } from '../EventStore/EventStore';
import { FeedStore } from '../FeedStore/FeedStore';

/** The retention job's settings (`dash.retentionDays`, `dash.retention.*`). */
export interface RetentionSettings {
  /** Events that ended before now minus this are deleted (open incidents and alerts stay). */
  retentionMs: number;
  /** Rows per delete statement. */
  batchSize: number;
  /** Most delete statements per run; what is left waits for the next run. */
  maxBatchesPerRun: number;
  /** Delete the feeds (and fetched events) of entities that left the catalog. */
  pruneDeletedEntities: boolean;
}

/** Reads the retention settings under `dash`, with defaults. */
export function readRetentionSettings(root: Config): RetentionSettings {
  const config = root.getOptionalConfig('dash');
  const get = (key: string, fallback: number) =>
    config ? readNonNegative(config, key, fallback, 'dash') : fallback;
  return {
    retentionMs: get('retentionDays', 90) * DAY_MS,
    batchSize: Math.max(1, Math.floor(get('retention.batchSize', 1000))),
    maxBatchesPerRun: Math.max(
      1,
      Math.floor(get('retention.maxBatchesPerRun', 1000)),
    ),
    pruneDeletedEntities:
      config?.getOptionalBoolean('retention.pruneDeletedEntities') ?? true,
  };
}

export interface RetentionResult {
  cutoffMs: number;
  /** Events deleted for age. */
  deleted: number;
  /** Feeds whose coverage moved forward to the cutoff. */
  feedsClamped: number;
  /** Entities found gone from the catalog, whose feeds were pruned. */
  prunedEntities: number;
  /** Feeds deleted with them (a feed still leased is left for the next run). */
  prunedFeeds: number;
  /** Events deleted with those feeds. */
  prunedEvents: number;
  /** True when a bound stopped the run before it was done (the next run goes on). */
  more: boolean;
  /** Why pruning was skipped, when it was. */
  pruneSkipped?: string;
}

/** Entity refs asked of the catalog per read while pruning. */
const PRUNE_PAGE = 100;
/** Most pages of feeds looked at per run. */
const PRUNE_MAX_PAGES = 1000;
/**
 * Events posted to `POST /changes` cannot be fetched again, so pruning leaves them to the age
 * rule; everything a source fetched can be.
 */
const KEEP_WHEN_PRUNING = [CHANGES_SOURCE_ID];

/**
 * The daily retention job: deletes old events in bounded batches (keeping incidents and alerts
 * that are still open), moves every feed's coverage forward to the cutoff so that a window
 * older than it never reads as fresh and empty, and prunes the feeds of entities that no longer
 * exist in the catalog (read with the plugin's own credentials; a failed read prunes nothing).
 */
export class RetentionTask {
  private readonly clock: () => number;

  constructor(
    private readonly options: {
      events: EventStore;
      feeds: FeedStore;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      settings: RetentionSettings;
      clock?: () => number;
    },
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: 'dash-retention',
      frequency: { hours: 24 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 1 },
      fn: () => this.run().then(() => undefined),
    });
  }

  /** One pass. */
  async run(): Promise<RetentionResult> {
    const { events, feeds, logger, settings } = this.options;
    const cutoffMs = this.clock() - settings.retentionMs;
    // Coverage first: from here on no feed claims what is about to be deleted. Once more after
    // the delete, for a refresh that finished in between with an older range.
    let feedsClamped = await feeds.coverNoEarlierThan(cutoffMs);
    const aged = await events.deleteOlderThan(cutoffMs, {
      batchSize: settings.batchSize,
      maxBatches: settings.maxBatchesPerRun,
    });
    feedsClamped += await feeds.coverNoEarlierThan(cutoffMs);

    const result: RetentionResult = {
      cutoffMs,
      deleted: aged.deleted,
      feedsClamped,
      prunedEntities: 0,
      prunedFeeds: 0,
      prunedEvents: 0,
      more: aged.more,
    };
    if (settings.pruneDeletedEntities) {
      try {
        await this.prune(result);
      } catch (e) {
        result.pruneSkipped = `${e}`;
        logger.warn(
          `Retention: pruning feeds of deleted entities stopped, nothing more pruned this run: ${e}`,
        );
      }
    }
    logger.info(
      `Retention: deleted ${result.deleted} event(s) older than ${Math.round(
        settings.retentionMs / DAY_MS,
      )} days (open incidents and alerts kept), moved the coverage of ${feedsClamped} feed(s) to ${new Date(
        cutoffMs,
      ).toISOString()}, pruned ${result.prunedEntities} deleted entit${
        result.prunedEntities === 1 ? 'y' : 'ies'
      } (${result.prunedEvents} event(s))${
        result.more ? '; more is left for the next run' : ''
      }`,
    );
    return result;
  }

  private async prune(result: RetentionResult): Promise<void> {
    const { events, feeds, catalog, auth, settings } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    let after: string | undefined;
    for (let page = 0; page < PRUNE_MAX_PAGES; page++) {
      const refs = await feeds.listEntityRefs(PRUNE_PAGE, after);
      if (refs.length === 0) return;
      after = refs[refs.length - 1];
      // Throws when the catalog cannot be read: then nothing is pruned.
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: refs, fields: ['kind', 'metadata.name'] },
        { credentials },
      );
      if (items.length !== refs.length) {
        throw new Error(
          `the catalog answered ${items.length} entities for ${refs.length} refs`,
        );
      }
      const gone = refs.filter((_, i) => !items[i]);
      if (gone.length) {
        const removed = await events.deleteForEntities(gone, {
          keepSources: KEEP_WHEN_PRUNING,
          batchSize: settings.batchSize,
          maxBatches: settings.maxBatchesPerRun,
        });
        result.prunedEvents += removed.deleted;
        if (removed.more) {
          // Keep the feeds so the next run finds these entities again.
          result.more = true;
          return;
        }
        result.prunedFeeds += await feeds.deleteForEntities(gone, this.clock());
        result.prunedEntities += gone.length;
      }
      if (refs.length < PRUNE_PAGE) return;
    }
    result.more = true;
  }
}
