import {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  DashAlertsResponse,
  DashChangeEventInput,
  DashDeploysResponse,
  DashDoraMetrics,
  DashEventKind,
  DashLinksResponse,
  DashOnCallResponse,
  DashTimelineResponse,
  DAY_MS,
} from '@dash-suite/plugin-dash-common';
import { SignalSource } from '@dash-suite/plugin-dash-node';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DashSettings } from '../../config';
import { ChangeIngest } from '../ChangeIngest/ChangeIngest';
import { CHANGES_SOURCE_ID } from '../ChangeIngest/changeIds';
import { CurrentSignals } from '../CurrentSignals/CurrentSignals';
import { DeploysReader } from '../Deploys/DeploysReader';
import { EventStore } from '../EventStore/EventStore';
import { LinksService } from '../Links/LinksService';
import { LiveWatch } from '../LiveWatch/LiveWatch';
import { computeDora } from '../Metrics/dora';
import { renderMarkdown } from '../Metrics/markdown';
import { RefreshEngine } from '../RefreshEngine/RefreshEngine';
import { TimelineChanges } from '../TimelineSignals/TimelineSignals';
import { UpstreamGuard } from '../UpstreamGuard/UpstreamGuard';
import { TimelineComposer } from './TimelineComposer';
import { TimelinePreparer } from './TimelinePreparer';
import { alignToNow, answerKey } from '../TimelineAnswers/answerKey';
import { EntityVersions } from '../TimelineAnswers/EntityVersions';
import { ServerTiming } from '../TimelineAnswers/ServerTiming';
import { SharedAnswers } from '../TimelineAnswers/SharedAnswers';
import {
  TimelineAnswer,
  toTimelineAnswer,
} from '../TimelineAnswers/TimelineAnswer';

/** Source id of change events posted to `POST /changes`. */
export { CHANGES_SOURCE_ID };

export interface TimelineQuery {
  entityRefs: string[];
  fromMs: number;
  toMs: number;
  sources?: string[];
  kinds?: DashEventKind[];
  includeDependencies?: boolean;
  /** Live mode (`live=true`): feeds older than the live freshness count as stale. */
  live?: boolean;
  /** With `live`: the tab listens for timeline signals, so its entities are watched. */
  push?: boolean;
}

/** What the TimelineService is built from. */
export interface TimelineServiceOptions {
  catalog: CatalogService;
  events: EventStore;
  engine: RefreshEngine;
  sources: SignalSource[];
  guards: Map<string, UpstreamGuard>;
  settings: DashSettings;
  cache: CacheService;
  logger: LoggerService;
  /** Told when change events posted to `/changes` add or update events (Signals). */
  changes?: TimelineChanges;
  /** Entities of live tabs with Signals, kept fresh by the backend. */
  liveWatch?: LiveWatch;
  /**
   * Moved on every change of an entity's stored events (give the same object to the
   * RefreshEngine's `changes`): a cached answer is not used after its entities changed.
   */
  versions?: EntityVersions;
  clock?: () => number;
}

/**
 * What the routes ask for, assembled: entities from the catalog with the caller's credentials
 * (so a caller sees only what they may read) and feeds made fresh enough by the RefreshEngine
 * (the TimelinePreparer), events from the EventStore and causes from the Correlator (the
 * TimelineComposer), the answer shared between callers. Each other answer has its own
 * service (deploys, links, on-call and alerts, change ingest); this one reads the entity the
 * caller asked for and hands it over.
 */
export class TimelineService {
  private readonly preparer: TimelinePreparer;
  private readonly composer: TimelineComposer;
  private readonly currentSignals: CurrentSignals;
  private readonly deploysReader: DeploysReader;
  private readonly linksService: LinksService;
  private readonly changeIngest: ChangeIngest;
  private readonly versions: EntityVersions;
  private readonly answers: SharedAnswers<TimelineAnswer>;

  constructor(private readonly options: TimelineServiceOptions) {
    const { catalog, events, engine, settings, logger, clock } = options;
    this.versions = options.versions ?? new EntityVersions();
    this.answers = new SharedAnswers({
      ttlMs: settings.answerCache.ttlMs,
      maxEntries: settings.answerCache.maxEntries,
      clock,
    });
    this.preparer = new TimelinePreparer({
      catalog,
      engine,
      settings,
      versions: this.versions,
      liveWatch: options.liveWatch,
      clock,
    });
    this.composer = new TimelineComposer({
      events,
      settings,
      sourceTitles: new Map(options.sources.map(s => [s.id, s.title])),
      clock,
    });
    this.currentSignals = new CurrentSignals({
      engine,
      guards: options.guards,
      cache: options.cache,
      logger,
      clock,
    });
    this.deploysReader = new DeploysReader({
      engine,
      events,
      maxWaitMs: settings.maxWaitMs,
    });
    this.linksService = new LinksService({ engine, logger });
    this.changeIngest = new ChangeIngest({
      events,
      changes: options.changes,
      clock,
    });
  }

  private now() {
    return (this.options.clock ?? Date.now)();
  }

  /** Source ids a request may filter on. */
  knownSources(): string[] {
    return [...this.options.sources.map(s => s.id), CHANGES_SOURCE_ID];
  }

  /** The entity, if the caller may read it; else a 404 naming it. */
  async entity(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    return this.preparer.entity(ref, credentials);
  }

  /**
   * The timeline answer, serialized and shared: the caller's access is checked and the feeds
   * are made fresh enough on every call, then callers whose answer would be computed from the
   * same inputs (entities they may read, window, filters, feed states, entity versions) share
   * one computation and, for `dash.answerCache.ttlSeconds`, its result. With `alignNow`, a
   * window that ends at about now is aligned first (`dash.answerCache.alignNowSeconds`). With
   * `timing`, the phases are timed into it: `entities` (catalog and access), `feeds` (feed
   * states, and waiting for refreshes), then, when the answer is computed for this call, `read`,
   * `correlate` and `serialize`; `answer` says whether it was computed or shared.
   */
  async getTimelineAnswer(
    asked: TimelineQuery,
    credentials: BackstageCredentials,
    options: { alignNow?: boolean; timing?: ServerTiming } = {},
  ): Promise<TimelineAnswer> {
    const timing = options.timing ?? new ServerTiming();
    const { answerCache } = this.options.settings;
    const query = options.alignNow
      ? alignToNow(asked, this.now(), answerCache.alignNowMs)
      : asked;
    // An aligned window starts up to one step later than the window asked for, by an amount
    // that depends on the exact time of the request when only `from` is given. The feeds are
    // made to cover the window as asked, from its start rounded down to the step: the same for
    // every request in that step (so they share one fetch and one read of the feed states), and
    // still covering the window when it is asked for again once it no longer ends at about now.
    const step = answerCache.alignNowMs;
    const coverFromMs =
      query === asked ? query.fromMs : Math.floor(asked.fromMs / step) * step;
    const prepared = await this.preparer.prepare(
      query,
      credentials,
      coverFromMs,
      timing,
    );
    const key = answerKey({
      ...query,
      targetRefs: [...prepared.targetRefs],
      dependencyRefs: prepared.dependencyRefs,
      states: [...prepared.targetStates, ...prepared.dependencyStates],
      versions: this.versions.of([
        ...prepared.targetRefs,
        ...prepared.dependencyRefs,
      ]),
    });
    let computed = false;
    const answer = await this.answers.get(key, async () => {
      computed = true;
      const value = await this.composer.compose(query, prepared, timing);
      return timing.timeSync('serialize', () => toTimelineAnswer(value));
    });
    timing.note('answer', computed ? 'computed' : 'shared');
    return answer;
  }

  /** The timeline (shared with other callers: do not change it). */
  async getTimeline(
    query: TimelineQuery,
    credentials: BackstageCredentials,
  ): Promise<DashTimelineResponse> {
    return (await this.getTimelineAnswer(query, credentials)).value;
  }

  async exportMarkdown(
    query: TimelineQuery,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const timeline = await this.getTimeline(query, credentials);
    return renderMarkdown({
      entityRefs: timeline.entityRefs,
      from: timeline.from,
      to: timeline.to,
      events: timeline.events,
      relatedEvents: timeline.relatedEvents,
      correlations: timeline.correlations,
      sources: timeline.sources,
      generatedAt: timeline.generatedAt,
    });
  }

  async getDeploys(
    ref: string,
    window: { fromMs: number; toMs: number },
    credentials: BackstageCredentials,
  ): Promise<DashDeploysResponse> {
    const entity = await this.entity(ref, credentials);
    return this.deploysReader.deploys(entity, ref, window);
  }

  async getDora(
    ref: string,
    window: { fromMs: number; toMs: number },
    credentials: BackstageCredentials,
  ): Promise<DashDoraMetrics> {
    const timeline = await this.getTimeline(
      { entityRefs: [ref], fromMs: window.fromMs, toMs: window.toMs },
      credentials,
    );
    const figures = computeDora({
      fromMs: window.fromMs,
      toMs: window.toMs,
      events: timeline.events,
      correlations: timeline.correlations,
    });
    return {
      entityRef: ref,
      from: timeline.from,
      to: timeline.to,
      ...figures,
      sources: timeline.sources,
    };
  }

  /** Links into the upstreams' UIs for the window, from the sources that offer them. */
  async getLinks(
    ref: string,
    window: { fromMs: number; toMs: number },
    credentials: BackstageCredentials,
  ): Promise<DashLinksResponse> {
    const entity = await this.entity(ref, credentials);
    return this.linksService.links(entity, ref, window);
  }

  async getOnCall(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<DashOnCallResponse> {
    const entity = await this.entity(ref, credentials);
    return this.currentSignals.onCall(entity, ref);
  }

  async getAlerts(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<DashAlertsResponse> {
    const entity = await this.entity(ref, credentials);
    return this.currentSignals.alerts(entity, ref);
  }

  async refresh(
    ref: string,
    sources: string[] | undefined,
    credentials: BackstageCredentials,
  ) {
    const entity = await this.entity(ref, credentials);
    const states = await this.options.engine.ensure(
      entity,
      ref,
      this.now() - DAY_MS,
      { waitMs: this.options.settings.maxWaitMs, force: true },
      sources,
    );
    return { sources: states };
  }

  /** Stores a change event from a deploy system; idempotent by its id. */
  async ingestChange(
    input: DashChangeEventInput,
    credentials: BackstageCredentials,
  ) {
    await this.entity(input.entityRef, credentials);
    return this.changeIngest.ingest(input, credentials);
  }
}
