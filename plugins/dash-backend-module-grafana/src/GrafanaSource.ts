import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR,
  ANNOTATION_GRAFANA_DASHBOARD_SELECTOR,
  ANNOTATION_GRAFANA_INSTANCE,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import {
  DeepLink,
  FetchEventsRequest,
  FetchEventsResult,
  mapWithConcurrency,
  readJsonCursor,
  safeLink,
  SignalSource,
  SourceContext,
  UpstreamCaller,
  UpstreamError,
  warnWithoutAllowList,
} from '@dash-suite/plugin-dash-node';
import { labelsAccessProblem, selectorAccessProblem } from './access';
import { z } from 'zod';
import {
  CONFIG_ROOT,
  DEFAULT_INSTANCE,
  GrafanaSettings,
  readGrafanaSettings,
} from './config';
import { GrafanaClient, Query } from './GrafanaClient';
import {
  OpenEpisode,
  SOURCE_ID,
  alertEpisodes,
  annotationEvent,
  dashboardLink,
  firingAlertEvent,
} from './normalize';
import {
  AlertRule,
  Annotation,
  SearchHit,
  alertRuleSchema,
  amAlertSchema,
  annotationSchema,
  lenientArray,
  searchHitSchema,
} from './schemas';
import {
  LabelMatcher,
  SelectorError,
  SelectorNode,
  matchesLabels,
  matchesSelector,
  parseAlertLabelSelector,
  parseDashboardSelector,
  positiveTags,
  requiredTags,
} from './selector';

const INSTANCE_KEY = /^[\w-]{1,64}$/;
/** Alert state history is read from this long before the window, to pair resolves with starts. */
const ALERT_LOOKBACK_MS = 24 * 3600_000;
/** Tags of a selector queried for organisation annotations. */
const MAX_TAG_QUERIES = 5;
const SEARCH_PAGE_SIZE = 1000;
const PARALLEL = 4;
/** Dashboards remembered per selector for deep links. */
const DASHBOARD_CACHE_SIZE = 1000;
const MAX_OPEN_EPISODES = 200;

const cursorSchema = z.object({
  v: z.literal(1),
  open: z
    .array(
      z.object({
        rule: z.string(),
        key: z.string(),
        id: z.number(),
        start: z.number(),
        pendingAt: z.number().optional(),
      }),
    )
    .max(MAX_OPEN_EPISODES),
});
type Cursor = z.infer<typeof cursorSchema>;

interface Target {
  client: GrafanaClient;
  selectorText?: string;
  dashboards?: SelectorNode;
  alerts?: LabelMatcher[];
}

/**
 * Grafana as a DASH source: annotations on the service's dashboards and those tagged for it,
 * the state history of its Grafana-managed alert rules as alert episodes, the alerts firing
 * now, and links to its dashboards.
 */
export class GrafanaSource implements SignalSource {
  readonly id = SOURCE_ID;
  readonly title = 'Grafana';
  private readonly clients = new Map<string, GrafanaClient>();
  private readonly dashboardCache = new Map<string, SearchHit[]>();

  static fromConfig(config: Config, logger: LoggerService): GrafanaSource {
    return new GrafanaSource(readGrafanaSettings(config), logger);
  }

  constructor(
    private readonly settings: GrafanaSettings,
    logger: LoggerService,
  ) {
    for (const [key, instance] of settings.instances) {
      this.clients.set(key, new GrafanaClient(instance));
    }
    for (const [key, problem] of settings.problems) {
      logger.warn(`Grafana instance '${key}' is not usable: ${problem}`);
    }
    const instances = [...settings.instances.values()];
    const missing = new Set([
      ...instances.filter(i => !i.allow.tags).map(i => i.allow.tagsKey),
      ...instances
        .filter(i => !i.allow.alertLabels)
        .map(i => i.allow.alertLabelsKey),
    ]);
    if (missing.size) {
      warnWithoutAllowList(
        logger,
        'Grafana',
        `${ANNOTATION_GRAFANA_DASHBOARD_SELECTOR} or ${ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR}`,
        [...missing].join(' and '),
      );
    }
  }

  appliesTo(entity: Entity): boolean {
    const a = entity.metadata.annotations ?? {};
    return Boolean(
      a[ANNOTATION_GRAFANA_DASHBOARD_SELECTOR]?.trim() ||
        a[ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR]?.trim(),
    );
  }

  configurationProblem(entity: Entity): string | undefined {
    return this.resolve(entity).problem;
  }

  /** `not-allowed` for selectors that reach outside the instance's `allow` lists. */
  accessProblem(entity: Entity): string | undefined {
    const { target } = this.resolve(entity);
    if (!target) return undefined;
    const { allow } = target.client.instance;
    return (
      (target.dashboards && allow.tags
        ? selectorAccessProblem(target.dashboards, allow.tags, allow.tagsKey)
        : undefined) ??
      (target.alerts && allow.alertLabels
        ? labelsAccessProblem(
            target.alerts,
            allow.alertLabels,
            allow.alertLabelsKey,
          )
        : undefined)
    );
  }

  private resolve(entity: Entity): { target?: Target; problem?: string } {
    const a = entity.metadata.annotations ?? {};
    const target: Partial<Target> = {};
    const selectorText = a[ANNOTATION_GRAFANA_DASHBOARD_SELECTOR]?.trim();
    if (selectorText) {
      try {
        target.dashboards = parseDashboardSelector(selectorText);
        target.selectorText = selectorText;
      } catch (e) {
        return {
          problem: `The ${ANNOTATION_GRAFANA_DASHBOARD_SELECTOR} annotation cannot be read: ${
            e instanceof SelectorError ? e.message : String(e)
          }`,
        };
      }
    }
    const labelText = a[ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR]?.trim();
    if (labelText) {
      try {
        target.alerts = parseAlertLabelSelector(labelText);
      } catch (e) {
        return {
          problem: `The ${ANNOTATION_GRAFANA_ALERT_LABEL_SELECTOR} annotation cannot be read: ${
            e instanceof SelectorError ? e.message : String(e)
          } (expected label=value, several separated by commas)`,
        };
      }
    }
    const key = a[ANNOTATION_GRAFANA_INSTANCE]?.trim() || DEFAULT_INSTANCE;
    if (!INSTANCE_KEY.test(key)) {
      return {
        problem: `The ${ANNOTATION_GRAFANA_INSTANCE} annotation '${key.slice(
          0,
          80,
        )}' is not an instance key (letters, digits, _ and -)`,
      };
    }
    const client = this.clients.get(key);
    if (!client) {
      const problem = this.settings.problems.get(key);
      if (problem) return { problem: `Grafana is not configured: ${problem}` };
      return {
        problem:
          key === DEFAULT_INSTANCE
            ? `Grafana is not configured: ${CONFIG_ROOT}.baseUrl and ${CONFIG_ROOT}.token are missing`
            : `Grafana is not configured: there is no instance '${key}' under ${CONFIG_ROOT}.instances`,
      };
    }
    return { target: { ...target, client } };
  }

  private target(entity: Entity): Target {
    const { target, problem } = this.resolve(entity);
    if (!target) throw new UpstreamError('not-configured', problem!);
    const denied = this.accessProblem(entity);
    if (denied) throw new UpstreamError('not-allowed', denied);
    return target;
  }

  async fetchEvents(
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<FetchEventsResult> {
    const target = this.target(request.entity);
    const { client } = target;
    const { upstream, logger } = context;
    const ui = client.instance.uiBaseUrl;
    const fromMs = request.from.getTime();
    const toMs = request.to.getTime();
    const cursor = readJsonCursor(request.cursor, cursorSchema);

    const [dashboards, rules] = await Promise.all([
      target.dashboards
        ? this.findDashboards(target, upstream, logger)
        : Promise.resolve([]),
      target.alerts
        ? this.findRules(
            client,
            target.alerts,
            upstream,
            logger,
            request.entityRef,
          )
        : Promise.resolve([]),
    ]);

    const readDashboards = dashboards.slice(0, this.settings.maxDashboards);
    if (dashboards.length > readDashboards.length) {
      logger.warn(
        `Grafana: ${dashboards.length} dashboards match ${request.entityRef}'s selector; annotations are read from the first ${readDashboards.length} (${CONFIG_ROOT}.maxDashboards)`,
      );
    }
    const tags = target.dashboards
      ? positiveTags(target.dashboards).slice(0, MAX_TAG_QUERIES)
      : [];

    type Job =
      | { kind: 'dashboard'; uid: string }
      | { kind: 'tag'; tag: string }
      | { kind: 'rule'; rule: AlertRule };
    const jobs: Job[] = [
      ...readDashboards.map(d => ({ kind: 'dashboard' as const, uid: d.uid })),
      ...tags.map(tag => ({ kind: 'tag' as const, tag })),
      ...rules.map(rule => ({ kind: 'rule' as const, rule })),
    ];
    const results = await mapWithConcurrency(jobs, PARALLEL, async job => {
      if (job.kind === 'dashboard') {
        return {
          job,
          items: await this.readAnnotations(
            client,
            upstream,
            logger,
            [
              ['dashboardUID', job.uid],
              ['type', 'annotation'],
            ],
            fromMs,
            toMs,
          ),
        };
      }
      if (job.kind === 'tag') {
        const items = await this.readAnnotations(
          client,
          upstream,
          logger,
          [
            ['tags', job.tag],
            ['type', 'annotation'],
          ],
          fromMs,
          toMs,
        );
        // Organisation annotations belong to the service when their tags satisfy its selector.
        return {
          job,
          items: items.filter(a =>
            matchesSelector(target.dashboards!, { tags: a.tags ?? [] }),
          ),
        };
      }
      return {
        job,
        items: await this.readAnnotations(
          client,
          upstream,
          logger,
          [
            ['alertUID', job.rule.uid],
            ['type', 'alert'],
          ],
          fromMs - ALERT_LOOKBACK_MS,
          toMs,
        ),
      };
    });

    const events: DashEvent[] = [];
    const seen = new Set<number>();
    const fallbackUid = readDashboards[0]?.uid;
    const open: OpenEpisode[] = [];
    for (const { job, items } of results) {
      if (job.kind === 'rule') {
        const episodes = alertEpisodes(
          job.rule,
          items.filter(a => !a.alertUID || a.alertUID === job.rule.uid),
          request.entityRef,
          ui,
          (cursor?.open ?? []).filter(o => o.rule === job.rule.uid),
        );
        events.push(...episodes.events);
        open.push(...episodes.open);
        continue;
      }
      for (const a of items) {
        if (seen.has(a.id) || a.alertId || a.alertUID) continue;
        seen.add(a.id);
        events.push(annotationEvent(a, request.entityRef, ui, fallbackUid));
      }
    }
    const next: Cursor = { v: 1, open: open.slice(0, MAX_OPEN_EPISODES) };
    return { events, cursor: JSON.stringify(next) };
  }

  private cacheKey(target: Target) {
    return `${target.client.instance.key}\u0000${target.selectorText}`;
  }

  /** Dashboards matching the selector: searched by the tags every match needs, then evaluated. */
  private async findDashboards(
    target: Target,
    upstream: UpstreamCaller,
    logger: LoggerService,
  ): Promise<SearchHit[]> {
    const { client } = target;
    const required = requiredTags(target.dashboards!);
    const found: SearchHit[] = [];
    let truncated = true;
    for (let page = 1; page <= this.settings.maxPages; page++) {
      const query: Query = [
        ['type', 'dash-db'],
        ...required.map(t => ['tag', t] as [string, string]),
        ['limit', String(SEARCH_PAGE_SIZE)],
        ['page', String(page)],
      ];
      const { items, dropped } = await client.get(
        upstream,
        '/api/search',
        query,
        lenientArray(searchHitSchema),
        'search dashboards',
      );
      if (dropped)
        logger.warn(`Grafana: skipped ${dropped} malformed search hits`);
      found.push(...items);
      if (items.length + dropped < SEARCH_PAGE_SIZE) {
        truncated = false;
        break;
      }
    }
    if (truncated) {
      logger.warn(
        `Grafana: stopped searching dashboards after ${this.settings.maxPages} pages of ${SEARCH_PAGE_SIZE}; make the selector name a tag`,
      );
    }
    const ui = client.instance.uiBaseUrl;
    const matched = found.filter(
      d =>
        (d.type ?? 'dash-db') === 'dash-db' &&
        matchesSelector(target.dashboards!, {
          title: d.title ?? undefined,
          tags: d.tags ?? [],
          url: d.url ? `${ui}${d.url}` : undefined,
          folderTitle: d.folderTitle ?? undefined,
          folderUrl: d.folderUrl ? `${ui}${d.folderUrl}` : undefined,
        }),
    );
    const key = this.cacheKey(target);
    this.dashboardCache.delete(key);
    this.dashboardCache.set(key, matched.slice(0, 50));
    if (this.dashboardCache.size > DASHBOARD_CACHE_SIZE) {
      const oldest = this.dashboardCache.keys().next().value;
      if (oldest !== undefined) this.dashboardCache.delete(oldest);
    }
    return matched;
  }

  /** Grafana-managed alert rules carrying one of the selector's labels. */
  private async findRules(
    client: GrafanaClient,
    matchers: LabelMatcher[],
    upstream: UpstreamCaller,
    logger: LoggerService,
    entityRef: string,
  ): Promise<AlertRule[]> {
    const { items, dropped } = await client.get(
      upstream,
      '/api/v1/provisioning/alert-rules',
      [],
      lenientArray(alertRuleSchema),
      'list alert rules',
    );
    if (dropped)
      logger.warn(`Grafana: skipped ${dropped} malformed alert rules`);
    const matched = items.filter(r => matchesLabels(matchers, r.labels ?? {}));
    if (matched.length > this.settings.maxAlertRules) {
      logger.warn(
        `Grafana: ${matched.length} alert rules match ${entityRef}'s label selector; the state history of the first ${this.settings.maxAlertRules} is read (${CONFIG_ROOT}.maxAlertRules)`,
      );
    }
    return matched.slice(0, this.settings.maxAlertRules);
  }

  /**
   * Annotations in [from, to] matching `query`. Grafana has no offset: it answers the newest
   * `limit`, so a full page is followed by another one ending at its oldest annotation, at most
   * `maxPages` times.
   */
  private async readAnnotations(
    client: GrafanaClient,
    upstream: UpstreamCaller,
    logger: LoggerService,
    query: Query,
    fromMs: number,
    toMs: number,
  ): Promise<Annotation[]> {
    const limit = this.settings.annotationPageSize;
    const byId = new Map<number, Annotation>();
    let to = toMs;
    for (let page = 0; page < this.settings.maxPages; page++) {
      const { items, dropped } = await client.get(
        upstream,
        '/api/annotations',
        [
          ...query,
          ['from', String(Math.floor(fromMs))],
          ['to', String(Math.ceil(to))],
          ['limit', String(limit)],
        ],
        lenientArray(annotationSchema),
        'list annotations',
      );
      if (dropped)
        logger.warn(`Grafana: skipped ${dropped} malformed annotations`);
      let added = 0;
      for (const a of items) {
        if (!byId.has(a.id)) {
          byId.set(a.id, a);
          added += 1;
        }
      }
      if (items.length + dropped < limit) return [...byId.values()];
      const oldest = Math.min(...items.map(a => a.time));
      if (added === 0 || !Number.isFinite(oldest) || oldest <= fromMs) break;
      to = oldest;
    }
    logger.warn(
      `Grafana: stopped reading annotations (${query
        .map(([k, v]) => `${k}=${v}`)
        .join('&')}) after ${
        this.settings.maxPages
      } pages of ${limit}; older ones are not shown`,
    );
    return [...byId.values()];
  }

  async getFiringAlerts(
    entity: Entity,
    context: SourceContext,
  ): Promise<DashEvent[]> {
    const target = this.target(entity);
    if (!target.alerts) return [];
    const { items } = await target.client.get(
      context.upstream,
      '/api/alertmanager/grafana/api/v2/alerts',
      [
        ['active', 'true'],
        ['silenced', 'false'],
        ['inhibited', 'false'],
      ],
      lenientArray(amAlertSchema),
      'list firing alerts',
    );
    const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    return items
      .filter(a => (a.status?.state ?? 'active') === 'active')
      .filter(a => matchesLabels(target.alerts!, a.labels))
      .map(a =>
        firingAlertEvent(a, entityRef, target.client.instance.uiBaseUrl),
      )
      .filter((e): e is DashEvent => Boolean(e))
      .sort((a, b) => a.startTime.localeCompare(b.startTime));
  }

  getDeepLinks(entity: Entity, window: { from: Date; to: Date }): DeepLink[] {
    const { target } = this.resolve(entity);
    if (!target || this.accessProblem(entity)) return [];
    const ui = target.client.instance.uiBaseUrl;
    const links: DeepLink[] = [];
    if (target.dashboards) {
      const cached = this.dashboardCache.get(this.cacheKey(target));
      if (cached?.length) {
        for (const d of cached.slice(0, 20)) {
          const url = dashboardLink(
            ui,
            d.uid,
            window.from.getTime(),
            window.to.getTime(),
          );
          if (url) links.push({ title: `Grafana: ${d.title ?? d.uid}`, url });
        }
      } else {
        const tags = requiredTags(target.dashboards);
        const url = tags.length
          ? safeLink(
              `${ui}/dashboards?${tags
                .map(t => `tag=${encodeURIComponent(t)}`)
                .join('&')}`,
            )
          : undefined;
        if (url)
          links.push({
            title: `Grafana dashboards tagged ${tags.join(', ')}`,
            url,
          });
      }
    }
    for (const m of (target.alerts ?? []).slice(0, 3)) {
      const url = safeLink(
        `${ui}/alerting/list?search=${encodeURIComponent(
          `label:${m.label}=${m.value}`,
        )}`,
      );
      if (url)
        links.push({
          title: `Grafana alert rules (${m.label}=${m.value})`,
          url,
        });
    }
    return links;
  }
}
