import {
  UpstreamCaller,
  UpstreamError,
  parseRetryAfter,
} from '@dash-suite/plugin-dash-node';
import { Client, errors } from '@elastic/elasticsearch';
import { KibanaTarget } from './annotations';
import { KibanaSourceSettings } from './config';
import {
  HistogramQuery,
  errorHistogramSearch,
  histogramSchema,
} from './queries';
import { Bucket } from './spikes';

export type ElasticsearchSettings = NonNullable<
  KibanaSourceSettings['elasticsearch']
>;

/** The reason in Elasticsearch's error body: `{ error: { type, reason } }` or `{ error }`. */
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

/**
 * The Elasticsearch cluster that holds the logs, through the official client, one guarded call
 * per search; its errors are said as UpstreamErrors.
 */
export class ElasticsearchClient {
  private readonly client: Client;

  constructor(private readonly settings: ElasticsearchSettings) {
    this.client = new Client({
      node: settings.node,
      auth: settings.auth,
      // The DASH guard owns timeouts and retries: one attempt here, aborted by its signal;
      // the client's own timeout is only a backstop.
      requestTimeout: settings.requestTimeoutMs,
      maxRetries: 0,
      name: 'dash-kibana-source',
    });
  }

  /** Closes the client's connections. */
  async close(): Promise<void> {
    await this.client.close();
  }

  /** The error-log volume of the query's target per interval, oldest bucket first. */
  async errorHistogram(
    upstream: UpstreamCaller,
    query: Omit<HistogramQuery, 'timestampField'>,
  ): Promise<Bucket[]> {
    const { target } = query;
    const buckets = await upstream.call(
      async signal => {
        let response: unknown;
        try {
          response = await this.client.search(
            errorHistogramSearch({
              ...query,
              timestampField: this.settings.timestampField,
            }),
            {
              signal,
              maxRetries: 0,
              requestTimeout: this.settings.requestTimeoutMs,
            },
          );
        } catch (e) {
          throw this.translate(e, target);
        }
        // Checked inside the guard, so that a garbled answer is retried like a 5xx.
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
    return buckets.sort((a, b) => a.start - b.start);
  }

  /** What an Elasticsearch client error means for DASH. */
  private translate(e: unknown, target: KibanaTarget): unknown {
    const node = this.settings.node;
    if (e instanceof errors.ResponseError) {
      const status = e.statusCode ?? 0;
      const httpStatus = e.statusCode;
      const reason = esReason(e.body) ?? e.message;
      if (status === 401 || status === 403) {
        return new UpstreamError(
          'unauthorized',
          `Elasticsearch at ${node} refused the credentials (${status}: ${reason}); check dash.sources.kibana.elasticsearch`,
          { cause: e, httpStatus },
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
          { retryAfterMs: wait ?? 30_000, cause: e, httpStatus },
        );
      }
      if (status === 400) {
        // The entity's query or index pattern, not the cluster: not retried.
        return new UpstreamError(
          'not-configured',
          `Elasticsearch refused the search of ${target.indexPattern} for '${target.logQuery}' (400: ${reason}); check kibana/log-query and kibana/index-pattern`,
          { cause: e, httpStatus },
        );
      }
      if (status === 404) {
        return new UpstreamError(
          'not-configured',
          `Elasticsearch has no index matching ${target.indexPattern} (404: ${reason}); check kibana/index-pattern`,
          { cause: e, httpStatus },
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
}
