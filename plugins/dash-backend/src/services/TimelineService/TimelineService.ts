import {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  DASH_CHANGE_KINDS,
  DASH_PROBLEM_KINDS,
  DashAlertsResponse,
  DashChangeEventInput,
  DashDeploysResponse,
  DashDoraMetrics,
  DashEvent,
  DashEventKind,
  DashLinksResponse,
  DashOnCallEntry,
  DashOnCallResponse,
  DashSourceState,
  DashTimelineResponse,
  DASH_ENTITY_LINKS_SOURCE,
} from '@dash-suite/plugin-dash-common';
import {
  SignalSource,
  UpstreamError,
  safeLink,
} from '@dash-suite/plugin-dash-node';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DashSettings } from '../../config';
import { correlate } from '../Correlator/Correlator';
import { EventStore } from '../EventStore/EventStore';
import { computeDora } from '../Metrics/dora';
import { renderMarkdown } from '../Metrics/markdown';
import { RefreshEngine } from '../RefreshEngine/RefreshEngine';
import { sourceBlock } from '../RefreshEngine/sourceChecks';
import { UpstreamGuard } from '../UpstreamGuard/UpstreamGuard';
import { CHANGES_SOURCE_ID, scopedChangeId } from './changeIds';
import { EntityReader } from './EntityReader';

/** Kinds the correlator reads: changes, and problems and log spikes as evidence. */
const CORRELATION_KINDS: DashEventKind[] = [
  ...DASH_CHANGE_KINDS,
  ...DASH_PROBLEM_KINDS,
  'log-spike',
];

/** Source id of change events posted to `POST /changes`. */
export { CHANGES_SOURCE_ID };
const MAX_DEPENDENCIES = 30;
const DEPENDENCY_DEPTH = 2;
const LIVE_CACHE_TTL_MS = 30_000;
const DAY = 24 * 3600_000;

export interface TimelineQuery {
  entityRefs: string[];
  fromMs: number;
  toMs: number;
  sources?: string[];
  kinds?: DashEventKind[];
  includeDependencies?: boolean;
  /** Live mode: feeds older than the live freshness count as stale. */
  live?: boolean;
}

interface Resolved {
  targets: Array<{ entity: Entity; ref: string }>;
  /** Per target ref: dependency ref -> depth. */
  dependencies: Map<string, Map<string, number>>;
  dependencyEntities: Map<string, Entity>;
}

/**
 * What the routes ask for, assembled: entities from the catalog with the caller's credentials
 * (so a caller sees only what they may read), feeds made fresh enough by the RefreshEngine,
 * events from the EventStore, causes from the Correlator.
 */
export class TimelineService {
  private readonly entities: EntityReader;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      events: EventStore;
      engine: RefreshEngine;
      sources: SignalSource[];
      guards: Map<string, UpstreamGuard>;
      settings: DashSettings;
      cache: CacheService;
      logger: LoggerService;
      clock?: () => number;
    },
  ) {
    this.entities = new EntityReader(deps.catalog, {
      ttlMs: deps.settings.entityCacheMs,
      maxEntries: 5000,
    });
  }

  private now() {
    return (this.deps.clock ?? Date.now)();
  }

  /** Source ids a request may filter on. */
  knownSources(): string[] {
    return [...this.deps.sources.map(s => s.id), CHANGES_SOURCE_ID];
  }

  /** The entity, if the caller may read it; else a 404 naming it. */
  async entity(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.entities.getByRef(ref, credentials);
    if (!entity)
      throw new NotFoundError(`No entity ${ref} (or you may not read it)`);
    return entity;
  }

  private async resolve(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Resolved> {
    const items = await this.entities.getByRefs(refs, credentials);
    const missing = refs.filter((_, i) => !items[i]);
    if (missing.length) {
      throw new NotFoundError(
        `No entity ${missing.join(', ')} (or you may not read it)`,
      );
    }
    const targets = items.map((entity, i) => ({
      entity: entity!,
      ref: refs[i],
    }));

    // Breadth-first over dependsOn, as far as DEPENDENCY_DEPTH, reading each entity with the
    // caller's credentials so that nothing they may not see leaks into the answer.
    const dependencies = new Map<string, Map<string, number>>();
    const dependencyEntities = new Map<string, Entity>();
    const known = new Map<string, Entity>(targets.map(t => [t.ref, t.entity]));
    for (const target of targets) {
      const depths = new Map<string, number>();
      let frontier = [target.entity];
      for (
        let depth = 1;
        depth <= DEPENDENCY_DEPTH && frontier.length;
        depth++
      ) {
        const next = new Set<string>();
        for (const e of frontier) {
          for (const r of e.relations ?? []) {
            const to = r.targetRef.toLocaleLowerCase('en-US');
            if (
              r.type === RELATION_DEPENDS_ON &&
              to !== target.ref &&
              !depths.has(to)
            )
              next.add(to);
          }
        }
        const wanted = [...next].slice(
          0,
          Math.max(0, MAX_DEPENDENCIES - depths.size),
        );
        const unknown = wanted.filter(r => !known.has(r));
        if (unknown.length) {
          const found = await this.entities.getByRefs(unknown, credentials);
          found.forEach((e, i) => e && known.set(unknown[i], e));
        }
        frontier = [];
        for (const r of wanted) {
          const e = known.get(r);
          if (!e) continue;
          depths.set(r, depth);
          dependencyEntities.set(r, e);
          frontier.push(e);
        }
      }
      dependencies.set(target.ref, depths);
    }
    return { targets, dependencies, dependencyEntities };
  }

  async getTimeline(
    query: TimelineQuery,
    credentials: BackstageCredentials,
  ): Promise<DashTimelineResponse> {
    const { targets, dependencies, dependencyEntities } = await this.resolve(
      query.entityRefs,
      credentials,
    );
    const targetRefs = new Set(targets.map(t => t.ref));
    const dependencyRefs = [...dependencyEntities.keys()].filter(
      r => !targetRefs.has(r),
    );
    const lookbackMs = this.deps.settings.correlator.lookbackMs;
    const wait = {
      waitMs: this.deps.settings.maxWaitMs,
      maxAgeMs: query.live ? this.deps.settings.liveFreshnessMs : undefined,
      // A window past retention is answered from the store (no upstream call).
      toMs: query.toMs,
    };
    const onlySources = query.sources?.filter(s => s !== CHANGES_SOURCE_ID);

    const [targetStates, dependencyStates] = await Promise.all([
      Promise.all(
        targets.map(t =>
          this.deps.engine.ensure(
            t.entity,
            t.ref,
            query.fromMs - lookbackMs,
            wait,
            query.sources ? onlySources : undefined,
          ),
        ),
      ),
      Promise.all(
        dependencyRefs.map(r =>
          this.deps.engine.ensure(
            dependencyEntities.get(r)!,
            r,
            query.fromMs - lookbackMs,
            wait,
          ),
        ),
      ),
    ]);

    const shownRefs = query.includeDependencies
      ? [...targetRefs, ...dependencyRefs]
      : [...targetRefs];
    const limit = this.deps.settings.maxEvents;
    const events = await this.deps.events.query({
      entityRefs: shownRefs,
      fromMs: query.fromMs,
      toMs: query.toMs,
      sources: query.sources,
      kinds: query.kinds,
      // One more than allowed tells us whether there were more.
      limit: limit + 1,
    });
    const truncated = events.length > limit;
    if (truncated) events.splice(0, events.length - limit);

    const problems = events.filter(
      e => targetRefs.has(e.entityRef) && DASH_PROBLEM_KINDS.includes(e.kind),
    );
    // What the correlator looks at: changes and signs of trouble on the targets and their
    // dependencies, from a look-back before the first problem to the end of the last one.
    // Nothing to explain, nothing to read.
    let context: DashEvent[] = [];
    if (problems.length) {
      const starts = problems.map(p => Date.parse(p.startTime));
      const ends = problems.map(p =>
        p.endTime
          ? Date.parse(p.endTime)
          : Date.parse(p.startTime) + lookbackMs,
      );
      const ctxFrom = Math.min(...starts) - lookbackMs;
      const ctxTo = Math.min(query.toMs, Math.max(...ends));
      const unfiltered = !query.sources && !query.kinds && !truncated;
      if (!unfiltered) {
        context = await this.deps.events.query({
          entityRefs: [...targetRefs, ...dependencyRefs],
          fromMs: ctxFrom,
          toMs: ctxTo,
          kinds: CORRELATION_KINDS,
        });
      } else {
        // `events` already holds the window of the shown entities: read only what lies
        // before it, and the dependencies that are not shown.
        const hidden = query.includeDependencies ? [] : dependencyRefs;
        const [before, ofHidden] = await Promise.all([
          ctxFrom < query.fromMs
            ? this.deps.events.query({
                entityRefs: shownRefs,
                fromMs: ctxFrom,
                toMs: query.fromMs - 1,
                kinds: CORRELATION_KINDS,
              })
            : [],
          hidden.length
            ? this.deps.events.query({
                entityRefs: hidden,
                fromMs: ctxFrom,
                toMs: ctxTo,
                kinds: CORRELATION_KINDS,
              })
            : [],
        ]);
        const kinds = new Set<string>(CORRELATION_KINDS);
        context = events.filter(e => kinds.has(e.kind));
        if (before.length || ofHidden.length) {
          // `before` repeats incidents that began earlier and were still open in the window.
          const seen = new Set(context.map(e => `${e.entityRef}\u0000${e.id}`));
          for (const e of [...before, ...ofHidden]) {
            if (!seen.has(`${e.entityRef}\u0000${e.id}`)) context.push(e);
          }
        }
      }
    }
    const titles = new Map<string, string>();
    for (const t of targets)
      titles.set(t.ref, t.entity.metadata.title ?? t.entity.metadata.name);
    for (const [r, e] of dependencyEntities)
      titles.set(r, e.metadata.title ?? e.metadata.name);
    const correlations = correlate(
      { problems, context, dependencies, titles },
      this.deps.settings.correlator,
    );

    const shown = new Set(events.map(e => e.id));
    const byId = new Map(context.map(e => [e.id, e]));
    const related = new Map<string, DashEvent>();
    for (const c of correlations) {
      for (const cand of c.candidates) {
        const e = byId.get(cand.eventId);
        if (e && !shown.has(e.id)) related.set(e.id, e);
      }
    }

    return {
      entityRefs: [...targetRefs],
      dependencyRefs: query.includeDependencies ? dependencyRefs : [],
      from: new Date(query.fromMs).toISOString(),
      to: new Date(query.toMs).toISOString(),
      events,
      ...(truncated ? { truncated } : {}),
      relatedEvents: [...related.values()],
      sources: [
        ...targetStates.flat(),
        ...(query.includeDependencies ? dependencyStates.flat() : []),
      ],
      correlations,
      generatedAt: new Date(this.now()).toISOString(),
    };
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
    const sources = await this.deps.engine.ensure(entity, ref, window.fromMs, {
      waitMs: this.deps.settings.maxWaitMs,
      toMs: window.toMs,
    });
    const events = await this.deps.events.query({
      entityRefs: [ref],
      fromMs: window.fromMs,
      toMs: window.toMs,
      kinds: ['deploy', 'change'],
    });
    const deploys = events.filter(
      e =>
        e.kind === 'deploy' ||
        ['deploy', 'rollback'].includes(String(e.attributes.changeType)),
    );
    return {
      entityRef: ref,
      from: new Date(window.fromMs).toISOString(),
      to: new Date(window.toMs).toISOString(),
      deploys: deploys.reverse(),
      sources,
    };
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
    const range = { from: new Date(window.fromMs), to: new Date(window.toMs) };
    const links = this.deps.engine
      .sourcesFor(entity)
      .filter(s => s.getDeepLinks && !sourceBlock(s, entity, this.deps.logger))
      .flatMap(s => {
        try {
          return s.getDeepLinks!(entity, range).flatMap(l => {
            const url = safeLink(l.url);
            return url
              ? [{ source: s.id, sourceTitle: s.title, title: l.title, url }]
              : [];
          });
        } catch (e) {
          this.deps.logger.warn(
            `Links of source ${s.id} for ${ref} failed: ${e}`,
          );
          return [];
        }
      });
    // The entity's own links (its YAML's and the quick links added in Project Catalog), so that
    // "Open in…" offers the runbook and dashboards the owners put there.
    for (const l of entity.metadata.links ?? []) {
      const url = safeLink(l.url);
      if (url) {
        links.push({
          source: DASH_ENTITY_LINKS_SOURCE,
          sourceTitle: 'Quick links',
          title: l.title || url,
          url,
        });
      }
    }
    return {
      entityRef: ref,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      links,
    };
  }

  async getOnCall(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<DashOnCallResponse> {
    const entity = await this.entity(ref, credentials);
    const results = await this.live(
      entity,
      ref,
      'oncall',
      s => s.getOnCall,
      (s, e, ctx) => s.getOnCall!(e, ctx),
    );
    return {
      entityRef: ref,
      onCall: results
        .flatMap(r => (r.value ?? []) as DashOnCallEntry[])
        .sort((a, b) => a.escalationLevel - b.escalationLevel),
      sources: results.map(r => r.state),
    };
  }

  async getAlerts(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<DashAlertsResponse> {
    const entity = await this.entity(ref, credentials);
    const results = await this.live(
      entity,
      ref,
      'alerts',
      s => s.getFiringAlerts,
      (s, e, ctx) => s.getFiringAlerts!(e, ctx),
    );
    return {
      entityRef: ref,
      alerts: results
        .flatMap(r => (r.value ?? []) as DashEvent[])
        .map(a => ({ ...a, entityRef: ref })),
      sources: results.map(r => r.state),
    };
  }

  /**
   * Calls a "now" method of each source that has it (on-call, firing alerts), through its
   * guard, with a short cache in front so that a page full of cards costs one call per source.
   */
  private async live<T>(
    entity: Entity,
    ref: string,
    what: string,
    has: (s: SignalSource) => unknown,
    call: (
      s: SignalSource,
      e: Entity,
      ctx: { upstream: UpstreamGuard; logger: LoggerService },
    ) => Promise<T>,
  ): Promise<Array<{ value?: T; state: DashSourceState }>> {
    const sources = this.deps.engine.sourcesFor(entity).filter(s => has(s));
    return Promise.all(
      sources.map(async source => {
        const base = { id: source.id, title: source.title, entityRef: ref };
        const block = sourceBlock(source, entity, this.deps.logger);
        if (block) return { state: { ...base, ...block } };
        const key = `${what}:${source.id}:${ref}`;
        const cached = (await this.deps.cache.get(key)) as
          | { value: T; at: number }
          | undefined;
        if (cached) {
          return {
            value: cached.value,
            state: {
              ...base,
              status: 'ok' as const,
              fetchedAt: new Date(cached.at).toISOString(),
            },
          };
        }
        try {
          const value = await call(source, entity, {
            upstream: this.deps.guards.get(source.id)!,
            logger: this.deps.logger.child({ source: source.id }),
          });
          const at = this.now();
          await this.deps.cache.set(key, { value, at } as any, {
            ttl: LIVE_CACHE_TTL_MS,
          });
          return {
            value,
            state: {
              ...base,
              status: 'ok' as const,
              fetchedAt: new Date(at).toISOString(),
            },
          };
        } catch (e) {
          const status = UpstreamError.isUpstreamError(e) ? e.status : 'error';
          const retryAfterMs = UpstreamError.isUpstreamError(e)
            ? e.retryAfterMs
            : undefined;
          return {
            state: {
              ...base,
              status,
              message: e instanceof Error ? e.message : String(e),
              ...(retryAfterMs !== undefined
                ? {
                    retryAfter: new Date(
                      this.now() + retryAfterMs,
                    ).toISOString(),
                  }
                : {}),
            },
          };
        }
      }),
    );
  }

  async refresh(
    ref: string,
    sources: string[] | undefined,
    credentials: BackstageCredentials,
  ) {
    const entity = await this.entity(ref, credentials);
    const states = await this.deps.engine.ensure(
      entity,
      ref,
      this.now() - DAY,
      { waitMs: this.deps.settings.maxWaitMs, force: true },
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
    const event: DashEvent = {
      id: scopedChangeId(input.id, credentials),
      source: CHANGES_SOURCE_ID,
      kind:
        input.type === 'deploy' || input.type === 'rollback'
          ? 'deploy'
          : 'change',
      title: input.title,
      severity: 'info',
      startTime: new Date(Date.parse(input.time)).toISOString(),
      entityRef: input.entityRef,
      status: 'success',
      attributes: {
        changeType: input.type,
        ...(input.type === 'rollback' ? { rollback: true } : {}),
        ...(input.environment ? { environment: input.environment } : {}),
        ...(input.version ? { version: input.version } : {}),
        ...(input.details ? { details: input.details } : {}),
      },
    };
    if (input.actor) event.actor = input.actor;
    if (input.url) event.url = input.url;
    const created = await this.deps.events.upsert([event], this.now());
    return { event, created: created.has(event.id) };
  }

  /** Entities that carry at least one source annotation, for pre-warming. */
  async annotatedEntities(credentials: BackstageCredentials) {
    const result: Array<{ entity: Entity; entityRef: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.catalog.queryEntities(
        cursor
          ? { cursor, limit: 500 }
          : {
              filter: { kind: ['Component', 'System', 'Resource'] },
              limit: 500,
            },
        { credentials },
      );
      for (const entity of page.items) {
        if (this.deps.engine.sourcesFor(entity).length) {
          result.push({
            entity,
            entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
          });
        }
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return result;
  }
}
