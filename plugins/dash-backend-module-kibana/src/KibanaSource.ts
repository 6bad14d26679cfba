import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import {
  ANNOTATION_KIBANA_INDEX_PATTERN,
  DashEvent,
  DashSeverity,
} from '@dash-suite/plugin-dash-common';
import {
  dashEventId,
  DeepLink,
  FetchEventsRequest,
  FetchEventsResult,
  parseRetryAfter,
  readJsonCursor,
  SignalSource,
  SourceContext,
  UpstreamError,
  warnWithoutAllowList,
} from '@dash-suite/plugin-dash-node';
import { Client, errors } from '@elastic/elasticsearch';
import { z } from 'zod';
import {
  AlertEpisode,
  KibanaExecution,
  KibanaRule,
  alertEpisodes,
  executionLogSchema,
  executionSchema,
  findRulesSchema,
  ruleSchema,
} from './alerts';
import { KibanaTarget, annotationValue, readTarget } from './annotations';
import {
  ALLOW_KEY,
  KibanaSourceSettings,
  readKibanaSourceSettings,
} from './config';
import { discoverUrl, ruleUrl } from './discover';
import { Bucket, Spike, chooseInterval, detectSpikes } from './spikes';

export const SOURCE_ID = 'kibana';

const HOUR = 3600_000;
/** Rule executions read before the window, so that an alert that began earlier keeps its id. */
const EXECUTION_LOOKBACK_MS = 6 * HOUR;
const RULES_PER_PAGE = 100;
const MAX_RULE_PAGES = 5;
/** Rules read per entity; more are left out with a warning. */
const MAX_RULES = 20;
const EXECUTIONS_PER_PAGE = 500;
const MAX_EXECUTION_PAGES = 5;

const histogramSchema = z.object({
  aggregations: z.object({
    errors: z.object({
      buckets: z.array(z.object({ key: z.number(), doc_count: z.number() })),
    }),
  }),
});

const cursorSchema = z.object({ v: z.literal(1), interval: z.string() });

function parseCursor(raw: string | undefined): { interval?: string } {
  return readJsonCursor(raw, cursorSchema) ?? {};
}

const SEVERITIES = new Set<string>(['critical', 'error', 'warning', 'info']);

/** A rule tagged `severity:<critical|error|warning|info>` sets its alerts' severity; default error. */
function ruleSeverity(rule: KibanaRule): DashSeverity {
  for (const tag of rule.tags ?? []) {
    const m = /^severity:(\w+)$/i.exec(tag);
    if (m && SEVERITIES.has(m[1].toLowerCase())) {
      return m[1].toLowerCase() as DashSeverity;
    }
  }
  return 'error';
}

export interface KibanaSourceOptions {
  logger: LoggerService;
}

/**
 * The Kibana source: error-log volume from Elasticsearch turned into `log-spike` events, and the
 * alerts of Kibana alerting rules tagged for the service, with Discover and rule deep links.
 */
export class KibanaSource implements SignalSource {
  readonly id = SOURCE_ID;
  readonly title = 'Kibana';

  private readonly settings?: KibanaSourceSettings;
  private readonly setupProblem?: string;
  private readonly client?: Client;

  static fromConfig(config: Config, options: KibanaSourceOptions) {
    return new KibanaSource(config, options);
  }

  constructor(config: Config, options: KibanaSourceOptions) {
    try {
      this.settings = readKibanaSourceSettings(config);
      const es = this.settings.elasticsearch;
      if (es) {
        this.client = new Client({
          node: es.node,
          auth: es.auth,
          // The DASH guard owns timeouts and retries: one attempt here, aborted by its signal;
          // the client's own timeout is only a backstop.
          requestTimeout: es.requestTimeoutMs,
          maxRetries: 0,
          name: 'dash-kibana-source',
        });
        if (!this.settings.allow) {
          warnWithoutAllowList(
            options.logger,
            'Kibana',
            ANNOTATION_KIBANA_INDEX_PATTERN,
            ALLOW_KEY,
          );
        }
      } else {
        options.logger.info(
          'DASH Kibana source: dash.sources.kibana.elasticsearch.node is not set; it reports not-configured',
        );
      }
    } catch (e) {
      this.setupProblem = `Kibana source configuration is invalid: ${
        e instanceof Error ? e.message : String(e)
      }`;
      options.logger.error(this.setupProblem);
    }
  }

  /** Closes the Elasticsearch client's connections. */
  async close(): Promise<void> {
    await this.client?.close();
  }

  appliesTo(entity: Entity): boolean {
    return Boolean(annotationValue(entity, ANNOTATION_KIBANA_INDEX_PATTERN));
  }

  configurationProblem(entity: Entity): string | undefined {
    if (this.setupProblem) return this.setupProblem;
    if (!this.settings?.elasticsearch || !this.client) {
      return 'Missing config dash.sources.kibana.elasticsearch.node: the Elasticsearch cluster that holds the logs';
    }
    return readTarget(entity, this.settings.defaultLogQuery).problem;
  }

  /** `not-allowed` for an index pattern outside `dash.sources.kibana.allow.indexPatterns`. */
  accessProblem(entity: Entity): string | undefined {
    const allow = this.settings?.allow;
    if (!allow || !this.settings) return undefined;
    const { target } = readTarget(entity, this.settings.defaultLogQuery);
    if (!target || allow.allows(target.indexPattern)) return undefined;
    return `Index pattern ${target.indexPattern} is not in ${ALLOW_KEY}, the indices DASH may search`;
  }

  getDeepLinks(entity: Entity, window: { from: Date; to: Date }): DeepLink[] {
    const s = this.settings;
    if (!s?.uiBaseUrl) return [];
    const { target } = readTarget(entity, s.defaultLogQuery);
    if (!target || this.accessProblem(entity)) return [];
    const links: DeepLink[] = [];
    const discover = discoverUrl({
      uiBaseUrl: s.uiBaseUrl,
      spacePrefix: s.spacePrefix,
      from: window.from,
      to: window.to,
      query: target.logQuery,
      dataViewId: target.dataViewId,
    });
    if (discover)
      links.push({ title: 'Error logs in Discover', url: discover });
    return links;
  }

  async fetchEvents(
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<FetchEventsResult> {
    const problem = this.configurationProblem(request.entity);
    const s = this.settings;
    const { target } = s ? readTarget(request.entity, s.defaultLogQuery) : {};
    if (problem || !s || !target) {
      throw new UpstreamError('not-configured', problem ?? 'Not configured');
    }
    const denied = this.accessProblem(request.entity);
    if (denied) throw new UpstreamError('not-allowed', denied);
    const cursor = parseCursor(request.cursor);
    const fromMs = request.from.getTime();
    const toMs = Math.max(request.to.getTime(), fromMs + 1);
    const interval = chooseInterval(
      toMs - fromMs,
      s.spikes.baselineBuckets,
      cursor.interval,
    );
    // Both halves run to the end before an error is thrown: no call is left running behind.
    const [spikes, alerts] = await settleAll([
      this.spikes(request, context, target, interval, fromMs, toMs),
      s.kibanaApi
        ? this.ruleAlerts(request, context, fromMs, toMs)
        : Promise.resolve([]),
    ]);
    return {
      events: [...spikes, ...alerts],
      cursor: JSON.stringify({ v: 1, interval: interval.name }),
    };
  }

  /** Alerts firing now: rules for the entity whose last run found active alerts. */
  async getFiringAlerts(
    entity: Entity,
    context: SourceContext,
  ): Promise<DashEvent[]> {
    const problem = this.configurationProblem(entity);
    if (problem) throw new UpstreamError('not-configured', problem);
    const denied = this.accessProblem(entity);
    if (denied) throw new UpstreamError('not-allowed', denied);
    if (!this.settings?.kibanaApi) {
      throw new UpstreamError(
        'not-configured',
        'Missing config dash.sources.kibana.kibana.baseUrl: firing alerts come from Kibana alerting rules',
      );
    }
    const entityRef = entityRefOf(entity);
    const rules = await this.rules(entity, context);
    const firing = rules.filter(
      r =>
        (r.last_run?.alerts_count?.active ?? 0) > 0 ||
        r.execution_status?.status === 'active',
    );
    const now = Date.now();
    const events: DashEvent[] = [];
    for (const rule of firing) {
      const executions = await this.executions(
        context,
        rule,
        now - 24 * HOUR,
        now,
      );
      const episodes = alertEpisodes(executions);
      const last = episodes[episodes.length - 1];
      const episode: AlertEpisode =
        last && !last.end
          ? last
          : {
              start:
                rule.execution_status?.last_execution_date ??
                new Date(now).toISOString(),
              maxActiveAlerts: rule.last_run?.alerts_count?.active ?? 1,
              newAlerts: 0,
              executions: 1,
            };
      events.push(this.alertEvent(entityRef, rule, episode));
    }
    return events;
  }

  // ---------------------------------------------------------------------------------------
  // Elasticsearch: error-log spikes

  private async spikes(
    request: FetchEventsRequest,
    context: SourceContext,
    target: KibanaTarget,
    interval: { name: string; ms: number },
    fromMs: number,
    toMs: number,
  ): Promise<DashEvent[]> {
    const s = this.settings!;
    const es = s.elasticsearch!;
    const rule = s.spikes;
    // The histogram starts `baselineBuckets` before the window, on a bucket boundary, so that
    // the window's first buckets have a baseline too.
    const queryFrom =
      Math.floor(fromMs / interval.ms) * interval.ms -
      rule.baselineBuckets * interval.ms;
    const buckets = await context.upstream.call(
      async signal => {
        let response: unknown;
        try {
          response = await this.client!.search(
            {
              index: target.indexPattern,
              size: 0,
              track_total_hits: false,
              ignore_unavailable: true,
              allow_no_indices: true,
              expand_wildcards: 'open',
              query: {
                bool: {
                  filter: [
                    {
                      range: {
                        [es.timestampField]: {
                          gte: queryFrom,
                          lt: toMs,
                          format: 'epoch_millis',
                        },
                      },
                    },
                    // The annotation's Lucene query goes in the body, never into a URL.
                    {
                      query_string: {
                        query: target.logQuery,
                        analyze_wildcard: true,
                      },
                    },
                  ],
                },
              },
              aggs: {
                errors: {
                  date_histogram: {
                    field: es.timestampField,
                    fixed_interval: interval.name,
                    min_doc_count: 0,
                    time_zone: 'UTC',
                    extended_bounds: { min: queryFrom, max: toMs - 1 },
                  },
                },
              },
            },
            { signal, maxRetries: 0, requestTimeout: es.requestTimeoutMs },
          );
        } catch (e) {
          throw this.translateEs(e, target);
        }
        const parsed = histogramSchema.safeParse(response);
        if (!parsed.success) {
          throw new Error(
            `Elasticsearch answered the error-log histogram of ${target.indexPattern} without date_histogram buckets`,
          );
        }
        return parsed.data.aggregations.errors.buckets.map(
          (b): Bucket => ({ start: b.key, count: b.doc_count }),
        );
      },
      { idempotent: true, name: 'error-log histogram' },
    );
    const spikes = detectSpikes(
      buckets.sort((a, b) => a.start - b.start),
      interval.ms,
      rule,
    );
    return spikes
      .filter(spike => spike.end > fromMs)
      .map(spike =>
        this.spikeEvent(request.entityRef, target, interval.name, spike, toMs),
      );
  }

  private spikeEvent(
    entityRef: string,
    target: KibanaTarget,
    interval: string,
    spike: Spike,
    toMs: number,
  ): DashEvent {
    const s = this.settings!;
    const start = new Date(spike.start);
    const end = new Date(Math.min(spike.end, toMs));
    const attributes: Record<string, JsonValue> = {
      peakCount: spike.peakCount,
      baseline: spike.baseline,
      ratio: spike.ratio,
      totalCount: spike.totalCount,
      buckets: spike.buckets,
      interval,
      indexPattern: target.indexPattern,
      query: target.logQuery,
    };
    if (target.dataViewId) attributes.dataViewId = target.dataViewId;
    return {
      id: dashEventId(
        SOURCE_ID,
        'log-spike',
        target.indexPattern,
        start.toISOString(),
      ),
      source: SOURCE_ID,
      kind: 'log-spike',
      title: `Error log spike: ${spike.peakCount} per ${interval} at peak, baseline ${spike.baseline} (×${spike.ratio})`,
      severity: spike.critical ? 'critical' : 'error',
      startTime: start.toISOString(),
      endTime: end.toISOString(),
      entityRef,
      status: spike.ongoing ? 'ongoing' : 'ended',
      url: s.uiBaseUrl
        ? discoverUrl({
            uiBaseUrl: s.uiBaseUrl,
            spacePrefix: s.spacePrefix,
            from: start,
            to: end,
            query: target.logQuery,
            dataViewId: target.dataViewId,
          })
        : undefined,
      attributes,
    };
  }

  private translateEs(e: unknown, target: KibanaTarget): unknown {
    const node = this.settings?.elasticsearch?.node;
    if (e instanceof errors.ResponseError) {
      const status = e.statusCode ?? 0;
      const reason = esReason(e.body) ?? e.message;
      if (status === 401 || status === 403) {
        return new UpstreamError(
          'unauthorized',
          `Elasticsearch at ${node} refused the credentials (${status}: ${reason}); check dash.sources.kibana.elasticsearch`,
          { cause: e },
        );
      }
      if (status === 429) {
        const headers = (e.headers ?? {}) as Record<string, unknown>;
        const wait = parseRetryAfter(
          headers['retry-after'] === undefined
            ? undefined
            : String(headers['retry-after']),
        );
        return new UpstreamError(
          'rate-limited',
          `Elasticsearch is rejecting searches (429: ${reason})`,
          { retryAfterMs: wait ?? 30_000, cause: e },
        );
      }
      if (status === 400) {
        // The entity's query or index pattern, not the cluster: not retried.
        return new UpstreamError(
          'not-configured',
          `Elasticsearch refused the search of ${target.indexPattern} for '${target.logQuery}' (400: ${reason}); check kibana/log-query and kibana/index-pattern`,
          { cause: e },
        );
      }
      if (status === 404) {
        return new UpstreamError(
          'not-configured',
          `Elasticsearch has no index matching ${target.indexPattern} (404: ${reason}); check kibana/index-pattern`,
          { cause: e },
        );
      }
      return new Error(`Elasticsearch answered ${status}: ${reason}`, {
        cause: e,
      });
    }
    if (e instanceof errors.ProductNotSupportedError) {
      return new UpstreamError(
        'error',
        `The server at ${node} is not Elasticsearch (no x-elastic-product header)`,
        { cause: e },
      );
    }
    return e;
  }

  // ---------------------------------------------------------------------------------------
  // Kibana: alerting rules and their executions

  private ruleTag(entity: Entity): string {
    return this.settings!.ruleTag.replace(
      /\{name\}/g,
      entity.metadata.name,
    ).replace(/\{namespace\}/g, entity.metadata.namespace ?? 'default');
  }

  private async rules(
    entity: Entity,
    context: SourceContext,
  ): Promise<KibanaRule[]> {
    const tag = this.ruleTag(entity).replace(/["\\]/g, '');
    const rules: KibanaRule[] = [];
    let dropped = 0;
    for (let page = 1; page <= MAX_RULE_PAGES; page++) {
      const query = new URLSearchParams({
        per_page: String(RULES_PER_PAGE),
        page: String(page),
        filter: `alert.attributes.tags:"${tag}"`,
        sort_field: 'name',
        sort_order: 'asc',
      });
      const body = await this.kibanaGet(
        context,
        'alerting rules',
        `/api/alerting/rules/_find?${query}`,
        findRulesSchema,
      );
      if (!body) break;
      for (const raw of body.data) {
        const parsed = ruleSchema.safeParse(raw);
        if (parsed.success) rules.push(parsed.data);
        else dropped += 1;
      }
      if (page * RULES_PER_PAGE >= body.total || body.data.length === 0) break;
    }
    if (dropped) {
      context.logger.warn(
        `Kibana rules tagged ${tag}: dropped ${dropped} without an id or name`,
      );
    }
    if (rules.length > MAX_RULES) {
      context.logger.warn(
        `Kibana rules tagged ${tag}: ${rules.length} found, reading the first ${MAX_RULES}`,
      );
    }
    return rules.filter(r => r.enabled !== false).slice(0, MAX_RULES);
  }

  private async executions(
    context: SourceContext,
    rule: KibanaRule,
    fromMs: number,
    toMs: number,
  ): Promise<KibanaExecution[]> {
    const out: KibanaExecution[] = [];
    for (let page = 1; page <= MAX_EXECUTION_PAGES; page++) {
      const query = new URLSearchParams({
        date_start: new Date(fromMs).toISOString(),
        date_end: new Date(toMs).toISOString(),
        per_page: String(EXECUTIONS_PER_PAGE),
        page: String(page),
        sort: JSON.stringify([{ timestamp: { order: 'desc' } }]),
      });
      const body = await this.kibanaGet(
        context,
        'rule execution log',
        `/internal/alerting/rule/${encodeURIComponent(
          rule.id,
        )}/_execution_log?${query}`,
        executionLogSchema,
        { internal: true, missingOk: true },
      );
      if (!body) break;
      for (const raw of body.data) {
        const parsed = executionSchema.safeParse(raw);
        if (parsed.success) out.push(parsed.data);
      }
      if (page * EXECUTIONS_PER_PAGE >= body.total || body.data.length === 0)
        break;
      if (page === MAX_EXECUTION_PAGES) {
        context.logger.warn(
          `Kibana rule ${rule.id}: read ${out.length} of ${body.total} executions; older ones left out`,
        );
      }
    }
    return out;
  }

  private async ruleAlerts(
    request: FetchEventsRequest,
    context: SourceContext,
    fromMs: number,
    toMs: number,
  ): Promise<DashEvent[]> {
    const rules = await this.rules(request.entity, context);
    const events: DashEvent[] = [];
    for (const rule of rules) {
      const executions = await this.executions(
        context,
        rule,
        fromMs - EXECUTION_LOOKBACK_MS,
        toMs,
      );
      for (const episode of alertEpisodes(executions)) {
        const end = episode.end ? Date.parse(episode.end) : Infinity;
        // An episode that began before the executions read was recorded, with its real start
        // (and so its id), by an earlier fetch; this one would only add a second copy.
        if (end < fromMs || episode.startUnknown) continue;
        events.push(this.alertEvent(request.entityRef, rule, episode));
      }
    }
    return events;
  }

  private alertEvent(
    entityRef: string,
    rule: KibanaRule,
    episode: AlertEpisode,
  ): DashEvent {
    const s = this.settings!;
    return {
      id: dashEventId(SOURCE_ID, 'rule', rule.id, episode.start),
      source: SOURCE_ID,
      kind: 'alert',
      title: `Kibana rule "${rule.name}" ${
        episode.end ? 'alerted' : 'is alerting'
      }`,
      severity: ruleSeverity(rule),
      startTime: episode.start,
      endTime: episode.end,
      entityRef,
      status: episode.end ? 'recovered' : 'active',
      url: s.uiBaseUrl
        ? ruleUrl(s.uiBaseUrl, s.spacePrefix, rule.id)
        : undefined,
      attributes: {
        ruleId: rule.id,
        ruleName: rule.name,
        ruleType: rule.rule_type_id ?? null,
        tags: rule.tags ?? [],
        maxActiveAlerts: episode.maxActiveAlerts,
        newAlerts: episode.newAlerts,
        executions: episode.executions,
      },
    };
  }

  /**
   * One GET to Kibana through the guard. Answers are checked inside the guarded call, so that a
   * garbled one is retried like a 5xx. `missingOk`: a 404 answers undefined (a rule deleted
   * meanwhile).
   */
  private async kibanaGet<T>(
    context: SourceContext,
    name: string,
    pathAndQuery: string,
    schema: z.ZodType<T>,
    options: { internal?: boolean; missingOk?: boolean } = {},
  ): Promise<T | undefined> {
    const api = this.settings!.kibanaApi!;
    const url = `${api.baseUrl}${this.settings!.spacePrefix}${pathAndQuery}`;
    return context.upstream.call(
      async signal => {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (api.apiKey) headers.authorization = `ApiKey ${api.apiKey}`;
        // The execution log is an internal API; Kibana 9 serves those to its own UI, which
        // says so with this header.
        if (options.internal) headers['x-elastic-internal-origin'] = 'kibana';
        const res = await fetch(url, { headers, signal, redirect: 'error' });
        if (res.status === 401 || res.status === 403) {
          throw new UpstreamError(
            'unauthorized',
            `Kibana refused the ${name} request (${res.status}); check dash.sources.kibana.kibana.apiKey and its privileges`,
          );
        }
        if (res.status === 429) {
          throw new UpstreamError(
            'rate-limited',
            `Kibana is rate limiting (${name})`,
            {
              retryAfterMs:
                parseRetryAfter(res.headers.get('retry-after')) ?? 30_000,
            },
          );
        }
        if (res.status === 404 && options.missingOk) {
          await res.body?.cancel();
          return undefined;
        }
        if (res.status === 404) {
          throw new UpstreamError(
            'not-configured',
            `Kibana at ${api.baseUrl} has no ${name} API (404); check dash.sources.kibana.kibana.baseUrl and spaceId`,
          );
        }
        const text = await res.text();
        if (!res.ok) {
          throw new UpstreamError(
            'error',
            `Kibana ${name} answered ${res.status}: ${text.slice(0, 200)}`,
            { httpStatus: res.status },
          );
        }
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new Error(`Kibana answered ${name} with invalid JSON`);
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          throw new Error(`Kibana answered ${name} in an unexpected shape`);
        }
        return parsed.data;
      },
      { idempotent: true, name },
    );
  }
}

/** Like Promise.all, but waits for every promise before rejecting with the first error. */
async function settleAll<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find(r => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map(r => (r as PromiseFulfilledResult<T>).value);
}

function esReason(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const { type, reason } = error as { type?: unknown; reason?: unknown };
    return (
      [type, reason].filter(x => typeof x === 'string').join(': ') || undefined
    );
  }
  return undefined;
}

function entityRefOf(entity: Entity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`.toLocaleLowerCase('en-US');
}
