/*
 * Elasticsearch: GET|HEAD / and _search over the generated log indices (daily indices named
 * <prefix>-yyyy.mm.dd; a prefix such as logs-payments works as an alias), with the query DSL of
 * es/query.ts and the aggregations of es/aggs.ts. Every answer carries
 * `x-elastic-product: Elasticsearch`, which the official client insists on.
 */
import crypto from 'node:crypto';
import { FaultSpec } from '../types';
import { Ctx, HttpError, Reply, RouteDef, UpstreamDef } from '../http/server';
import { ScenarioStore } from '../scenario/store';
import { DAY, dayStamp, lowerBound } from '../time';
import { DocView, fieldValue, normalizeField, source } from './es/docs';
import {
  EsQueryError,
  Predicate,
  TimeBounds,
  compileQuery,
  compileQueryString,
} from './es/query';
import { runAggs } from './es/aggs';
import { credential } from './params';

export interface ElasticsearchOptions {
  token: string;
}

const VERSION = '9.1.0';
const MAX_RESULT_WINDOW = 10_000;

function esError(
  status: number,
  type: string,
  reason: string,
  extra: Record<string, unknown> = {},
): Reply {
  return {
    status,
    body: {
      error: {
        root_cause: [{ type, reason, ...extra }],
        type,
        reason,
        ...extra,
      },
      status,
    },
  };
}

function wildcardRegex(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

interface Target {
  prefix: string;
  /** Day stamps of the prefix's indices that the expression selects (all when undefined). */
  days?: Set<string>;
}

export function createElasticsearch(
  store: ScenarioStore,
  opts: ElasticsearchOptions,
): UpstreamDef {
  const clusterUuid = crypto
    .createHash('sha1')
    .update(`es-${store.ctx.seed}`)
    .digest('base64url')
    .slice(0, 22);

  function dayList(): string[] {
    const days: string[] = [];
    const end = store.asOf();
    for (let t = store.from; t <= end + DAY && days.length < 500; t += DAY) {
      const s = dayStamp(t);
      if (!days.includes(s) && t <= end) days.push(s);
    }
    const last = dayStamp(end);
    if (!days.includes(last)) days.push(last);
    return days;
  }

  /** Resolves an index expression (comma list, wildcards, -exclusions, _all) to log groups. */
  function resolve(
    expr: string,
    ignoreUnavailable: boolean,
    allowNoIndices: boolean,
  ): Target[] {
    const days = dayList();
    const selected = new Map<string, Set<string>>();
    const add = (prefix: string, day: string) => {
      let set = selected.get(prefix);
      if (!set) {
        set = new Set();
        selected.set(prefix, set);
      }
      set.add(day);
    };
    const parts = expr
      .split(',')
      .map(p => p.trim())
      .filter(Boolean);
    for (const part of parts.length ? parts : ['_all']) {
      const exclude = part.startsWith('-');
      const pattern = exclude ? part.slice(1) : part;
      const all = pattern === '_all' || pattern === '*';
      const hasWildcard = all || /[*?]/.test(pattern);
      const literal = all ? '' : pattern.split(/[*?]/)[0];
      const re = all ? undefined : wildcardRegex(pattern);
      let matched = false;
      for (const prefix of store.indexPrefixes) {
        if (
          !all &&
          !(
            `${prefix}-`.startsWith(literal) ||
            literal.startsWith(`${prefix}-`) ||
            prefix === pattern ||
            prefix.startsWith(literal)
          )
        )
          continue;
        // The prefix itself works like an alias of its daily indices.
        const aliasHit =
          all || (hasWildcard ? re!.test(prefix) : prefix === pattern);
        for (const day of days) {
          const name = `${prefix}-${day}`;
          if (all || aliasHit || re!.test(name)) {
            matched = true;
            if (exclude) selected.get(prefix)?.delete(day);
            else add(prefix, day);
          }
        }
      }
      if (!matched && !exclude && !hasWildcard && !ignoreUnavailable) {
        throw new HttpError(
          esError(
            404,
            'index_not_found_exception',
            `no such index [${pattern}]`,
            {
              'resource.type': 'index_or_alias',
              'resource.id': pattern,
              index_uuid: '_na_',
              index: pattern,
            },
          ),
        );
      }
    }
    const targets = [...selected.entries()]
      .filter(([, d]) => d.size)
      .map(([prefix, d]) => ({
        prefix,
        days: d.size === days.length ? undefined : d,
      }));
    if (!targets.length && !allowNoIndices) {
      throw new HttpError(
        esError(404, 'index_not_found_exception', `no such index [${expr}]`, {
          'resource.type': 'index_or_alias',
          'resource.id': expr,
          index_uuid: '_na_',
          index: expr,
        }),
      );
    }
    return targets;
  }

  function parseSort(sort: unknown): Array<{ field: string; desc: boolean }> {
    if (sort === undefined || sort === null) return [];
    const list = Array.isArray(sort) ? sort : [sort];
    return list.map(item => {
      if (typeof item === 'string') {
        const [field, dir] = item.split(':');
        return {
          field: normalizeField(field).field,
          desc: dir === 'desc' || (field === '_score' && dir !== 'asc'),
        };
      }
      if (item && typeof item === 'object') {
        const [field, spec] = Object.entries(item as Record<string, any>)[0];
        const order =
          typeof spec === 'string'
            ? spec
            : spec?.order ?? (field === '_score' ? 'desc' : 'asc');
        return { field: normalizeField(field).field, desc: order === 'desc' };
      }
      throw new EsQueryError('parsing_exception', 'malformed sort format');
    });
  }

  function search(ctx: Ctx, indexExpr: string): Reply {
    const started = Date.now();
    const body = (ctx.body ?? {}) as Record<string, any>;
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new EsQueryError(
        'parsing_exception',
        'request body is required to be an object',
      );
    }
    const q = ctx.query;
    const now = Date.now();
    const num = (v: unknown, name: string, def: number) => {
      if (v === undefined || v === null || v === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0)
        throw new EsQueryError(
          'illegal_argument_exception',
          `[${name}] parameter cannot be negative or fractional, found [${v}]`,
        );
      return n;
    };
    const size = num(q.get('size') ?? body.size, 'size', 10);
    const from = num(q.get('from') ?? body.from, 'from', 0);
    if (from + size > MAX_RESULT_WINDOW) {
      throw new EsQueryError(
        'illegal_argument_exception',
        `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${
          from + size
        }]. See the scroll api for a more efficient way to request large data sets.`,
      );
    }
    const bounds: TimeBounds = { from: -Infinity, to: Infinity };
    let predicate: Predicate;
    if (q.get('q')) {
      predicate = compileQueryString(q.get('q')!, {
        defaultOperator: q.get('default_operator') === 'AND' ? 'AND' : 'OR',
        fields: q.get('df') ? [q.get('df')!] : undefined,
        now,
      });
    } else {
      predicate = compileQuery(body.query, now, bounds);
    }
    const postFilter = body.post_filter
      ? compileQuery(body.post_filter, now)
      : undefined;
    const targets = resolve(
      indexExpr,
      q.get('ignore_unavailable') === 'true',
      q.get('allow_no_indices') !== 'false',
    );
    const asOf = store.asOf();
    const matched: DocView[] = [];
    for (const target of targets) {
      for (const i of store.servicesByIndexPrefix(target.prefix)) {
        const svc = store.service(i);
        const logs = store.data(i).logs;
        const start =
          bounds.from === -Infinity
            ? 0
            : lowerBound(logs, bounds.from, l => l.at);
        for (let k = start; k < logs.length; k++) {
          const log = logs[k];
          if (log.at > bounds.to || log.at > asOf) break;
          const day = dayStamp(log.at);
          if (target.days && !target.days.has(day)) continue;
          const view: DocView = { log, svc, index: `${target.prefix}-${day}` };
          if (predicate(view)) matched.push(view);
        }
      }
    }
    const hitsDocs = postFilter ? matched.filter(postFilter) : matched;
    const sort = parseSort(
      q.get('sort') ? q.get('sort')!.split(',') : body.sort,
    );
    const sortable = sort.filter(s => s.field !== '_score');
    if (sortable.length) {
      hitsDocs.sort((a, b) => {
        for (const s of sortable) {
          const va = s.field === '_doc' ? a.log.at : fieldValue(a, s.field);
          const vb = s.field === '_doc' ? b.log.at : fieldValue(b, s.field);
          if (va === vb) continue;
          if (va === undefined) return 1;
          if (vb === undefined) return -1;
          return (va < vb ? -1 : 1) * (s.desc ? -1 : 1);
        }
        return a.log.id < b.log.id ? -1 : 1;
      });
    }
    let pageDocs = hitsDocs;
    if (Array.isArray(body.search_after) && sortable.length) {
      const after = body.search_after as unknown[];
      pageDocs = hitsDocs.filter(d => {
        for (let i = 0; i < sortable.length && i < after.length; i++) {
          const v = fieldValue(d, sortable[i].field);
          const a = after[i] as string | number;
          if (v === a) continue;
          if (v === undefined) return false;
          return sortable[i].desc ? v < a : v > a;
        }
        return false;
      });
    }
    const slice = pageDocs.slice(from, from + size);
    const sourceSpec = q.get('_source') ?? body._source;
    let includes: string[] | undefined;
    if (Array.isArray(sourceSpec)) includes = sourceSpec;
    else if (
      typeof sourceSpec === 'string' &&
      sourceSpec !== 'true' &&
      sourceSpec !== 'false'
    ) {
      includes = sourceSpec.split(',');
    } else if (
      sourceSpec &&
      typeof sourceSpec === 'object' &&
      Array.isArray(sourceSpec.includes)
    ) {
      includes = sourceSpec.includes;
    }
    const noSource = sourceSpec === false || sourceSpec === 'false';
    const hits = slice.map(d => {
      const hit: Record<string, unknown> = {
        _index: d.index,
        _id: d.log.id,
        _score: sortable.length ? null : 1,
      };
      if (!noSource)
        hit._source = includes ? pick(source(d), includes) : source(d);
      if (sortable.length)
        hit.sort = sortable.map(s => fieldValue(d, s.field) ?? null);
      return hit;
    });
    const tth = q.get('track_total_hits') ?? body.track_total_hits;
    let total: { value: number; relation: 'eq' | 'gte' } | undefined;
    const n = hitsDocs.length;
    if (tth === false || tth === 'false') total = undefined;
    else if (tth === true || tth === 'true')
      total = { value: n, relation: 'eq' };
    else {
      const cap = tth === undefined ? 10_000 : Number(tth);
      total =
        n > cap
          ? { value: cap, relation: 'gte' }
          : { value: n, relation: 'eq' };
    }
    const shards = Math.max(
      1,
      targets.reduce((k, t) => k + (t.days?.size ?? dayList().length), 0),
    );
    const response: Record<string, unknown> = {
      took: Math.max(1, Date.now() - started),
      timed_out: false,
      _shards: { total: shards, successful: shards, skipped: 0, failed: 0 },
      hits: {
        ...(total
          ? {
              total:
                q.get('rest_total_hits_as_int') === 'true'
                  ? total.value
                  : total,
            }
          : {}),
        max_score: hits.length && !sortable.length ? 1 : null,
        hits,
      },
    };
    const aggs = body.aggs ?? body.aggregations;
    if (aggs)
      response.aggregations = runAggs(aggs, matched, {
        now,
        typedKeys: q.get('typed_keys') === 'true',
      });
    return { status: 200, body: response };
  }

  function pick(
    src: Record<string, unknown>,
    paths: string[],
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const path of paths) {
      if (path === '*') return src;
      const parts = path.split('.');
      let from: any = src;
      let to: any = out;
      for (let i = 0; i < parts.length; i++) {
        if (from === undefined || from === null) break;
        const key = parts[i];
        if (!(key in from)) {
          // '@timestamp' and other dotted keys at the top level.
          const rest = parts.slice(i).join('.');
          if (rest in from) to[rest] = from[rest];
          break;
        }
        if (i === parts.length - 1) to[key] = from[key];
        else {
          to[key] = to[key] ?? {};
          to = to[key];
          from = from[key];
        }
      }
    }
    return out;
  }

  const guarded =
    (fn: (ctx: Ctx) => Reply) =>
    (ctx: Ctx): Reply => {
      try {
        return fn(ctx);
      } catch (e) {
        if (e instanceof EsQueryError)
          throw new HttpError(esError(400, e.type, e.message));
        throw e;
      }
    };

  const info = (): Reply => ({
    status: 200,
    body: {
      name: 'sandbox-es-0',
      cluster_name: 'dash-sandbox',
      cluster_uuid: clusterUuid,
      version: {
        number: VERSION,
        build_flavor: 'default',
        build_type: 'docker',
        build_hash: '0000000000000000000000000000000000000000',
        build_date: '2025-07-01T00:00:00.000Z',
        build_snapshot: false,
        lucene_version: '10.2.2',
        minimum_wire_compatibility_version: '8.19.0',
        minimum_index_compatibility_version: '8.0.0',
      },
      tagline: 'You Know, for Search',
    },
  });

  const routes: RouteDef[] = [
    { method: 'GET', path: '/', handler: info },
    {
      method: 'GET',
      path: '/_search',
      handler: guarded(ctx => search(ctx, '_all')),
    },
    {
      method: 'POST',
      path: '/_search',
      handler: guarded(ctx => search(ctx, '_all')),
    },
    {
      method: 'GET',
      path: '/{index}/_search',
      handler: guarded(ctx => search(ctx, ctx.params.index)),
    },
    {
      method: 'POST',
      path: '/{index}/_search',
      handler: guarded(ctx => search(ctx, ctx.params.index)),
    },
  ];

  const unauthorized = (): Reply => {
    const reason =
      'unable to authenticate with provided credentials and anonymous access is not allowed for this request';
    return {
      ...esError(401, 'security_exception', reason, {
        additional_unsuccessful_credentials: 'API key: invalid credentials',
      }),
      headers: {
        'www-authenticate': [
          'Basic realm="security", charset="UTF-8"',
          'Bearer realm="security"',
          'ApiKey',
        ],
      },
    };
  };

  function accepted(value: string, scheme: string): boolean {
    if (value === opts.token) return scheme === 'apikey' || scheme === 'bearer';
    let decoded = '';
    try {
      decoded = Buffer.from(value, 'base64').toString('utf8');
    } catch {
      return false;
    }
    // ApiKey base64(id:key) or Basic base64(user:password): the secret part is the token.
    return (
      (scheme === 'apikey' || scheme === 'basic') &&
      decoded.includes(':') &&
      decoded.slice(decoded.indexOf(':') + 1) === opts.token
    );
  }

  return {
    name: 'elasticsearch',
    routes,
    authenticate(ctx) {
      const cred = credential(ctx.req.headers.authorization);
      if (!cred || !accepted(cred.value, cred.scheme)) return unauthorized();
      return undefined;
    },
    unauthorized,
    serverError: status =>
      status === 503
        ? esError(
            503,
            'cluster_block_exception',
            'blocked by: [SERVICE_UNAVAILABLE/2/no master];',
          )
        : esError(
            status,
            'internal_server_error',
            'sandbox: injected server error',
          ),
    rateLimited: (spec: NonNullable<FaultSpec['rateLimit']>) => ({
      ...esError(
        spec.status ?? 429,
        'es_rejected_execution_exception',
        'rejected execution of coordinating operation [shard_detail=sandbox]',
      ),
      headers: { 'retry-after': String(spec.retryAfterSec ?? 1) },
    }),
    notFound: ctx =>
      esError(
        400,
        'illegal_argument_exception',
        `request [${ctx.path}] contains unrecognized parameter or path`,
      ),
    decorate(_ctx, reply) {
      reply.headers = {
        'x-elastic-product': 'Elasticsearch',
        ...reply.headers,
      };
    },
    contentType(ctx) {
      const accept = String(ctx.req.headers.accept ?? '');
      const m = /compatible-with=(\d+)/.exec(accept);
      return m
        ? `application/vnd.elasticsearch+json;compatible-with=${m[1]}`
        : 'application/json';
    },
  };
}
