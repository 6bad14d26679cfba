import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { DashSourceState } from '@dash-suite/plugin-dash-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DashSettings } from '../../config';
import { CHANGES_SOURCE_ID } from '../ChangeIngest/changeIds';
import { LiveWatch } from '../LiveWatch/LiveWatch';
import { RefreshEngine } from '../RefreshEngine/RefreshEngine';
import { EntityVersions } from '../TimelineAnswers/EntityVersions';
import { ServerTiming } from '../TimelineAnswers/ServerTiming';
import { SharedAnswers } from '../TimelineAnswers/SharedAnswers';
import { DependencyResolver } from './DependencyResolver';
import { EntityReader } from './EntityReader';
import type { TimelineQuery } from './TimelineService';

/** The entities a timeline answer is about, and where their feeds stand. */
export interface Prepared {
  targets: Array<{ entity: Entity; ref: string }>;
  targetRefs: Set<string>;
  dependencies: Map<string, Map<string, number>>;
  dependencyEntities: Map<string, Entity>;
  dependencyRefs: string[];
  targetStates: DashSourceState[];
  dependencyStates: DashSourceState[];
}

/**
 * The age at which a live view refreshes a feed: three quarters of `liveFreshnessSeconds`. A
 * tab polls every `dash.ui.livePollSeconds` (15, like the freshness), and its poll's refresh
 * starts a few milliseconds after the poll arrives: at the next poll, the feed is a hair younger
 * than one period. Counted against the full freshness, it would still be fresh, and only every
 * other poll would refresh (a new event showing 15 to 45 s late instead of at most 15).
 */
export function liveMaxAgeMs(liveFreshnessMs: number): number {
  return Math.floor((liveFreshnessMs * 3) / 4);
}

/**
 * Settles what a timeline answer may show and how fresh it is, before anything is read from
 * the EventStore: the entities the caller may read (from the catalog, with the caller's
 * credentials) and what they depend on, the live watch of a tab with Signals, and the feeds of
 * every one of those entities made fresh enough by the RefreshEngine. What is then read and
 * correlated is the TimelineComposer's job.
 */
export class TimelinePreparer {
  private readonly resolver: DependencyResolver;
  /** Feed states of a set of entities, shared by concurrent requests (see prepare). */
  private readonly feedStates: SharedAnswers<DashSourceState[][]>;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      engine: RefreshEngine;
      settings: DashSettings;
      /** Moved on every change of an entity's stored events. */
      versions: EntityVersions;
      /** Entities of live tabs with Signals, kept fresh by the backend. */
      liveWatch?: LiveWatch;
      clock?: () => number;
    },
  ) {
    const { catalog, settings, clock } = options;
    this.feedStates = new SharedAnswers({
      // For `feedStatesMs` (default 1 s) after the read, and never across a feed write of this
      // process (the key holds the feeds' generation): a request after a refresh recorded its
      // outcome, a failure included, reads that outcome. A database outage shows as such once
      // the shared read has expired.
      ttlMs: settings.answerCache.feedStatesMs,
      maxEntries: settings.answerCache.maxEntries,
      clock,
    });
    this.resolver = new DependencyResolver(
      new EntityReader(catalog, {
        ttlMs: settings.entityCacheMs,
        maxEntries: 5000,
      }),
    );
  }

  /** The entity, if the caller may read it; else a 404 naming it. */
  async entity(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    return this.resolver.entity(ref, credentials);
  }

  /**
   * The entities the caller may read, and their feeds made fresh enough for the query, covering
   * it from `coverFromMs` (default: the query's start). Timed into `timing` as `entities`
   * (catalog and access) and `feeds` (feed states, and waiting for refreshes).
   */
  async prepare(
    query: TimelineQuery,
    credentials: BackstageCredentials,
    coverFromMs: number = query.fromMs,
    timing: ServerTiming = new ServerTiming(),
  ): Promise<Prepared> {
    const { engine, settings, versions, liveWatch } = this.options;
    const { targets, dependencies, dependencyEntities } = await timing.time(
      'entities',
      () => this.resolver.resolve(query.entityRefs, credentials),
    );
    const targetRefs = new Set(targets.map(t => t.ref));
    const dependencyRefs = [...dependencyEntities.keys()].filter(
      r => !targetRefs.has(r),
    );
    const lookbackMs = settings.correlator.lookbackMs;
    const wait = {
      waitMs: settings.maxWaitMs,
      maxAgeMs: query.live ? liveMaxAgeMs(settings.liveFreshnessMs) : undefined,
      // A live poll shows what the upstream has now (at most `waitMs` late).
      waitForStale: query.live,
      // A window past retention is answered from the store (no upstream call).
      toMs: query.toMs,
    };
    const onlySources = query.sources?.filter(s => s !== CHANGES_SOURCE_ID);
    if (query.live && query.push && liveWatch) {
      const watchFrom = coverFromMs - lookbackMs;
      for (const t of targets) liveWatch.watch(t.entity, t.ref, watchFrom);
      if (query.includeDependencies) {
        for (const r of dependencyRefs)
          liveWatch.watch(dependencyEntities.get(r)!, r, watchFrom);
      }
    }

    // One read of the feeds of every entity, targets and dependencies alike, shared by the
    // requests that ask for the same entities while it runs and for `feedStatesMs` after (a
    // crowd on one incident), and never across a change of their stored events or a write of
    // their feeds by this process.
    const items: Array<{
      entity: Entity;
      entityRef: string;
      onlySources?: string[];
    }> = [
      ...targets.map(t => ({
        entity: t.entity,
        entityRef: t.ref,
        onlySources: query.sources ? onlySources : undefined,
      })),
      ...dependencyRefs.map(r => ({
        entity: dependencyEntities.get(r)!,
        entityRef: r,
      })),
    ];
    const statesKey = JSON.stringify([
      items.map(i => [i.entityRef, i.onlySources ?? null]),
      coverFromMs - lookbackMs,
      wait.maxAgeMs ?? null,
      wait.toMs,
      versions.of(items.map(i => i.entityRef)),
      engine.feedsGeneration,
    ]);
    const states = await timing.time('feeds', () =>
      this.feedStates.get(statesKey, () =>
        engine.ensureMany(items, coverFromMs - lookbackMs, wait),
      ),
    );
    const targetStates = states.slice(0, targets.length);
    const dependencyStates = states.slice(targets.length);

    return {
      targets,
      targetRefs,
      dependencies,
      dependencyEntities,
      dependencyRefs,
      targetStates: targetStates.flat(),
      dependencyStates: dependencyStates.flat(),
    };
  }
}
