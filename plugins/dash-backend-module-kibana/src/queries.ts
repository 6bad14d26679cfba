import { Entity } from '@backstage/catalog-model';
import type { estypes } from '@elastic/elasticsearch';
import { z } from 'zod';
import { KibanaTarget } from './annotations';

/** What the error-log histogram search needs. */
export interface HistogramQuery {
  target: KibanaTarget;
  timestampField: string;
  /** Epoch ms: the first bucket's start. */
  fromMs: number;
  /** Epoch ms, exclusive. */
  toMs: number;
  /** A fixed interval, e.g. `5m`. */
  interval: string;
}

/** The answer of the histogram search, as far as the source reads it. */
export const histogramSchema = z.object({
  aggregations: z.object({
    errors: z.object({
      buckets: z.array(z.object({ key: z.number(), doc_count: z.number() })),
    }),
  }),
});

/**
 * The search body of the error-log volume of `target` per `interval`: the annotation's Lucene
 * query and the time range as filters, and a date histogram with an empty bucket wherever there
 * was no matching log.
 */
export function errorHistogramSearch(q: HistogramQuery): estypes.SearchRequest {
  return {
    index: q.target.indexPattern,
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
              [q.timestampField]: {
                gte: q.fromMs,
                lt: q.toMs,
                format: 'epoch_millis',
              },
            },
          },
          // The annotation's Lucene query goes in the body, never into a URL.
          {
            query_string: {
              query: q.target.logQuery,
              analyze_wildcard: true,
            },
          },
        ],
      },
    },
    aggs: {
      errors: {
        date_histogram: {
          field: q.timestampField,
          fixed_interval: q.interval,
          min_doc_count: 0,
          time_zone: 'UTC',
          extended_bounds: { min: q.fromMs, max: q.toMs - 1 },
        },
      },
    },
  };
}

/** The tag that marks an entity's rules: `ruleTag` with `{name}` and `{namespace}` filled in. */
export function ruleTag(template: string, entity: Entity): string {
  return template
    .replace(/\{name\}/g, entity.metadata.name)
    .replace(/\{namespace\}/g, entity.metadata.namespace ?? 'default');
}

/** The query of one page of `GET /api/alerting/rules/_find` for the rules tagged `tag`. */
export function findRulesQuery(
  tag: string,
  page: number,
  perPage: number,
): URLSearchParams {
  return new URLSearchParams({
    per_page: String(perPage),
    page: String(page),
    filter: `alert.attributes.tags:"${tag}"`,
    sort_field: 'name',
    sort_order: 'asc',
  });
}

/** The query of one page of a rule's execution log between `fromMs` and `toMs`, newest first. */
export function executionLogQuery(
  fromMs: number,
  toMs: number,
  page: number,
  perPage: number,
): URLSearchParams {
  return new URLSearchParams({
    date_start: new Date(fromMs).toISOString(),
    date_end: new Date(toMs).toISOString(),
    per_page: String(perPage),
    page: String(page),
    sort: JSON.stringify([{ timestamp: { order: 'desc' } }]),
  });
}
