/*
 * The Elasticsearch query engine on hand-made documents: query_string syntax (field:value,
 * quoted values, AND/OR/NOT, parentheses, wildcards, ranges), the DSL, date math, and
 * date_histogram bucketing.
 */
import { ScenarioService } from '../../types';
import { LogDoc } from '../../scenario/model';
import { DocView } from './docs';
import {
  EsQueryError,
  compileQuery,
  compileQueryString,
  parseDate,
} from './query';
import { runAggs } from './aggs';

const T0 = Date.UTC(2025, 0, 6, 10, 0, 0);
const svc = (name: string) => ({ name } as ScenarioService);
function doc(
  name: string,
  level: LogDoc['level'],
  message: string,
  status: number,
  minutes: number,
): DocView {
  return {
    svc: svc(name),
    index: 'logs-x-2025.01.06',
    log: {
      id: `${name}-${minutes}-${level}`,
      at: T0 + minutes * 60_000,
      level,
      message,
      status,
      traceId: 't',
      path: '/v1/items',
      durationMs: 5,
    },
  };
}
const DOCS = [
  doc(
    'payments-api',
    'error',
    'vault: tokenize card: context deadline exceeded',
    503,
    0,
  ),
  doc('payments-api', 'info', 'request completed', 200, 1),
  doc('payments-api', 'warn', 'slow request', 429, 2),
  doc('ledger-service', 'error', 'database query timed out', 500, 3),
  doc('ledger-service', 'info', 'request completed', 201, 12),
];
const ids = (p: (d: DocView) => boolean) => DOCS.filter(p).map(d => d.log.id);
const qs = (q: string, defaultOperator: 'AND' | 'OR' = 'OR') =>
  ids(compileQueryString(q, { defaultOperator, now: T0 }));

describe('query_string', () => {
  it('matches field:value and quoted values, with AND/OR/NOT and parentheses', () => {
    expect(qs('service.name:"payments-api" AND log.level:error')).toEqual([
      'payments-api-0-error',
    ]);
    expect(qs('service.name:payments-api AND NOT log.level:info')).toEqual([
      'payments-api-0-error',
      'payments-api-2-warn',
    ]);
    expect(
      qs(
        '(service.name:"ledger-service" OR log.level:warn) AND NOT http.response.status_code:201',
      ),
    ).toEqual(['payments-api-2-warn', 'ledger-service-3-error']);
    expect(qs('log.level:error || log.level:warn')).toHaveLength(3);
    expect(
      qs('log.level:(error OR warn) && service.name:payments-api'),
    ).toEqual(['payments-api-0-error', 'payments-api-2-warn']);
    expect(qs('-log.level:info')).toHaveLength(3);
    expect(qs('!log.level:info AND service.name:ledger-service')).toEqual([
      'ledger-service-3-error',
    ]);
  });

  it('searches message words and phrases, wildcards, ranges and _exists_', () => {
    expect(qs('message:"deadline exceeded"')).toEqual(['payments-api-0-error']);
    expect(qs('message:"exceeded deadline"')).toEqual([]);
    expect(qs('timed')).toEqual(['ledger-service-3-error']);
    expect(qs('service.name:ledger*')).toHaveLength(2);
    expect(qs('http.response.status_code:[500 TO 599]')).toHaveLength(2);
    expect(
      qs('http.response.status_code:>=429 AND http.response.status_code:<500'),
    ).toEqual(['payments-api-2-warn']);
    expect(qs(`@timestamp:[${T0 + 60_000} TO ${T0 + 180_000}}`)).toHaveLength(
      2,
    );
    expect(qs('_exists_:trace.id')).toHaveLength(5);
    expect(qs('_exists_:nope.field')).toEqual([]);
  });

  it('joins bare terms with the default operator', () => {
    expect(qs('request completed')).toHaveLength(3);
    expect(qs('request completed', 'AND')).toHaveLength(2);
  });

  it('refuses malformed syntax with a query_shard_exception', () => {
    expect(() => qs('service.name:"unterminated')).toThrow(EsQueryError);
    expect(() => qs('(log.level:error')).toThrow(/missing closing parenthesis/);
  });
});

describe('query DSL', () => {
  const q = (query: unknown) => ids(compileQuery(query, T0 + 3600_000));

  it('combines bool clauses, term(s), match, range and exists', () => {
    expect(
      q({
        bool: {
          filter: [
            { term: { 'service.name': 'payments-api' } },
            { terms: { 'log.level': ['error', 'warn'] } },
          ],
        },
      }),
    ).toEqual(['payments-api-0-error', 'payments-api-2-warn']);
    expect(
      q({
        bool: {
          should: [
            { term: { 'log.level': 'warn' } },
            { match: { message: 'database' } },
          ],
        },
      }),
    ).toEqual(['payments-api-2-warn', 'ledger-service-3-error']);
    expect(
      q({
        bool: {
          must: { match_all: {} },
          must_not: [{ term: { 'log.level.keyword': 'info' } }],
        },
      }),
    ).toHaveLength(3);
    expect(
      q({ match: { message: { query: 'request timed', operator: 'and' } } }),
    ).toEqual([]);
    expect(q({ match_phrase: { message: 'request completed' } })).toHaveLength(
      2,
    );
    expect(
      q({ range: { '@timestamp': { gte: 'now-1h', lt: 'now-58m' } } }),
    ).toEqual(['payments-api-0-error', 'payments-api-1-info']);
    expect(
      q({
        range: { '@timestamp': { gt: new Date(T0 + 120_000).toISOString() } },
      }),
    ).toHaveLength(2);
    expect(
      q({ range: { 'http.response.status_code': { gte: 500 } } }),
    ).toHaveLength(2);
    expect(q({ exists: { field: 'message' } })).toHaveLength(5);
    expect(q({ wildcard: { 'service.name': { value: 'pay*' } } })).toHaveLength(
      3,
    );
    expect(() => q({ nope: {} })).toThrow(/unknown query \[nope\]/);
  });

  it('parses date math and formats', () => {
    const now = Date.UTC(2025, 0, 6, 10, 37, 12, 500);
    expect(parseDate('now-15m', undefined, now)).toBe(now - 15 * 60_000);
    expect(parseDate('now/h', undefined, now)).toBe(Date.UTC(2025, 0, 6, 10));
    expect(parseDate('now/d', undefined, now, true)).toBe(
      Date.UTC(2025, 0, 7) - 1,
    );
    expect(parseDate('2025-01-01||+1M', undefined, now)).toBe(
      Date.UTC(2025, 1, 1),
    );
    expect(parseDate('1736157600', 'epoch_second', now)).toBe(1736157600_000);
    expect(parseDate(String(T0), 'epoch_millis', now)).toBe(T0);
    expect(() => parseDate('yesterday', undefined, now)).toThrow(
      /failed to parse date/,
    );
  });
});

describe('aggregations', () => {
  it('buckets with date_histogram: fixed and calendar intervals, empty buckets, extended bounds, sub-aggregations', () => {
    const fixed = runAggs(
      {
        h: {
          date_histogram: { field: '@timestamp', fixed_interval: '5m' },
          aggs: { lv: { terms: { field: 'log.level' } } },
        },
      },
      DOCS,
      { now: T0, typedKeys: false },
    ) as any;
    expect(
      fixed.h.buckets.map((b: any) => [b.key_as_string, b.doc_count]),
    ).toEqual([
      ['2025-01-06T10:00:00.000Z', 4],
      ['2025-01-06T10:05:00.000Z', 0],
      ['2025-01-06T10:10:00.000Z', 1],
    ]);
    expect(fixed.h.buckets[0].lv.buckets[0]).toEqual({
      key: 'error',
      doc_count: 2,
    });
    const sparse = runAggs(
      {
        h: {
          date_histogram: {
            field: '@timestamp',
            fixed_interval: '5m',
            min_doc_count: 1,
            format: 'epoch_millis',
          },
        },
      },
      DOCS,
      { now: T0, typedKeys: false },
    ) as any;
    expect(sparse.h.buckets.map((b: any) => b.key_as_string)).toEqual([
      String(T0),
      String(T0 + 600_000),
    ]);
    const bounded = runAggs(
      {
        h: {
          date_histogram: {
            field: '@timestamp',
            calendar_interval: 'hour',
            extended_bounds: { min: T0 - 2 * 3600_000, max: T0 + 3600_000 },
          },
        },
      },
      DOCS,
      { now: T0, typedKeys: false },
    ) as any;
    expect(bounded.h.buckets.map((b: any) => b.doc_count)).toEqual([
      0, 0, 5, 0,
    ]);
    const day = runAggs(
      {
        h: {
          date_histogram: {
            field: '@timestamp',
            calendar_interval: '1d',
            time_zone: '+02:00',
          },
        },
      },
      DOCS,
      { now: T0, typedKeys: true },
    ) as any;
    expect(day['date_histogram#h'].buckets[0].key_as_string).toBe(
      '2025-01-06T00:00:00.000+02:00',
    );
    expect(() =>
      runAggs(
        {
          h: { date_histogram: { field: '@timestamp', fixed_interval: '5x' } },
        },
        DOCS,
        { now: T0, typedKeys: false },
      ),
    ).toThrow(/unit is missing or unrecognized/);
    expect(() =>
      runAggs(
        {
          h: {
            date_histogram: {
              field: '@timestamp',
              fixed_interval: '1m',
              time_zone: 'Europe/Paris',
            },
          },
        },
        DOCS,
        { now: T0, typedKeys: false },
      ),
    ).toThrow(/time_zone/);
  });

  it('computes terms, filters and metrics', () => {
    const out = runAggs(
      {
        svc: { terms: { field: 'service.name', size: 1 } },
        errors: {
          filter: { term: { 'log.level': 'error' } },
          aggs: { last: { max: { field: '@timestamp' } } },
        },
        codes: { cardinality: { field: 'http.response.status_code' } },
      },
      DOCS,
      { now: T0, typedKeys: false },
    ) as any;
    expect(out.svc).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 2,
      buckets: [{ key: 'payments-api', doc_count: 3 }],
    });
    expect(out.errors.doc_count).toBe(2);
    expect(out.errors.last).toEqual({
      value: T0 + 180_000,
      value_as_string: new Date(T0 + 180_000).toISOString(),
    });
    expect(out.codes.value).toBe(5);
  });
});
