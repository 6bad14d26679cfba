import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  ANNOTATION_KIBANA_INDEX_PATTERN,
  DAY_MS,
  DashEvent,
  HOUR_MS,
} from '@dash-suite/plugin-dash-common';
import {
  DeepLink,
  FetchEventsRequest,
  FetchEventsResult,
  readJsonCursor,
  SignalSource,
  SourceContext,
  UpstreamError,
  warnWithoutAllowList,
} from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import { ElasticsearchClient } from './ElasticsearchClient';
import { KibanaClient } from './KibanaClient';
import { AlertEpisode, alertEpisodes } from './alerts';
import { KibanaTarget, annotationValue, readTarget } from './annotations';
import {
  ALLOW_KEY,
  KibanaSourceSettings,
  readKibanaSourceSettings,
} from './config';
import {
  SOURCE_ID,
  alertEvent,
  discoverLink,
  entityRefOf,
  spikeEvent,
} from './normalize';
import { ruleTag } from './queries';
import { chooseInterval, detectSpikes } from './spikes';

/** Rule executions read before the window, so that an alert that began earlier keeps its id. */
const EXECUTION_LOOKBACK_MS = 6 * HOUR_MS;

const cursorSchema = z.object({ v: z.literal(1), interval: z.string() });

function parseCursor(raw: string | undefined): { interval?: string } {
  return readJsonCursor(raw, cursorSchema) ?? {};
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
  private readonly elasticsearch?: ElasticsearchClient;
  private readonly kibana?: KibanaClient;

  static fromConfig(config: Config, options: KibanaSourceOptions) {
    return new KibanaSource(config, options);
  }

  constructor(config: Config, options: KibanaSourceOptions) {
    try {
      this.settings = readKibanaSourceSettings(config);
      const es = this.settings.elasticsearch;
      if (this.settings.kibanaApi) {
        this.kibana = new KibanaClient(
          this.settings.kibanaApi,
          this.settings.spacePrefix,
        );
      }
      if (es) {
        this.elasticsearch = new ElasticsearchClient(es);
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
    await this.elasticsearch?.close();
  }

  appliesTo(entity: Entity): boolean {
    return Boolean(annotationValue(entity, ANNOTATION_KIBANA_INDEX_PATTERN));
  }

  configurationProblem(entity: Entity): string | undefined {
    if (this.setupProblem) return this.setupProblem;
    if (!this.settings?.elasticsearch || !this.elasticsearch) {
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
    const discover = discoverLink(s, target, window.from, window.to);
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
    if (!this.settings?.kibanaApi || !this.kibana) {
      throw new UpstreamError(
        'not-configured',
        'Missing config dash.sources.kibana.kibana.baseUrl: firing alerts come from Kibana alerting rules',
      );
    }
    const entityRef = entityRefOf(entity);
    const rules = await this.kibana.findRules(context, this.ruleTag(entity));
    const firing = rules.filter(
      r =>
        (r.last_run?.alerts_count?.active ?? 0) > 0 ||
        r.execution_status?.status === 'active',
    );
    const now = Date.now();
    const events: DashEvent[] = [];
    for (const rule of firing) {
      const executions = await this.kibana.executions(
        context,
        rule.id,
        now - DAY_MS,
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
      events.push(alertEvent(this.settings, entityRef, rule, episode));
    }
    return events;
  }

  /** Error-log spikes from Elasticsearch's histogram of the entity's error logs. */
  private async spikes(
    request: FetchEventsRequest,
    context: SourceContext,
    target: KibanaTarget,
    interval: { name: string; ms: number },
    fromMs: number,
    toMs: number,
  ): Promise<DashEvent[]> {
    const s = this.settings!;
    const rule = s.spikes;
    // The histogram starts `baselineBuckets` before the window, on a bucket boundary, so that
    // the window's first buckets have a baseline too.
    const queryFrom =
      Math.floor(fromMs / interval.ms) * interval.ms -
      rule.baselineBuckets * interval.ms;
    const buckets = await this.elasticsearch!.errorHistogram(context.upstream, {
      target,
      fromMs: queryFrom,
      toMs,
      interval: interval.name,
    });
    const spikes = detectSpikes(buckets, interval.ms, rule);
    return spikes
      .filter(spike => spike.end > fromMs)
      .map(spike =>
        spikeEvent(s, request.entityRef, target, interval.name, spike, toMs),
      );
  }

  /** The tag that marks the entity's Kibana rules, without characters that break the filter. */
  private ruleTag(entity: Entity): string {
    return ruleTag(this.settings!.ruleTag, entity).replace(/["\\]/g, '');
  }

  /** The alert episodes of the entity's Kibana rules that overlap the window. */
  private async ruleAlerts(
    request: FetchEventsRequest,
    context: SourceContext,
    fromMs: number,
    toMs: number,
  ): Promise<DashEvent[]> {
    const kibana = this.kibana!;
    const rules = await kibana.findRules(context, this.ruleTag(request.entity));
    const events: DashEvent[] = [];
    for (const rule of rules) {
      const executions = await kibana.executions(
        context,
        rule.id,
        fromMs - EXECUTION_LOOKBACK_MS,
        toMs,
      );
      for (const episode of alertEpisodes(executions)) {
        const end = episode.end ? Date.parse(episode.end) : Infinity;
        // An episode that began before the executions read was recorded, with its real start
        // (and so its id), by an earlier fetch; this one would only add a second copy.
        if (end < fromMs || episode.startUnknown) continue;
        events.push(
          alertEvent(this.settings!, request.entityRef, rule, episode),
        );
      }
    }
    return events;
  }
}

/** Like Promise.all, but waits for every promise before rejecting with the first error. */
async function settleAll<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find(r => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map(r => (r as PromiseFulfilledResult<T>).value);
}
