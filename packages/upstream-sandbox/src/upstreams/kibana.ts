/*
 * Kibana: status, alerting rules (find and get, with mute/unmute as the writes that need
 * kbn-xsrf) and a rule's execution log, computed from its schedule and the service's error
 * spikes. Auth: `ApiKey <token>` or `Bearer <token>`.
 */
import { FaultSpec, ScenarioService } from '../types';
import { Ctx, HttpError, Reply, RouteDef, UpstreamDef } from '../http/server';
import { ScenarioStore } from '../scenario/store';
import { KibanaRule, ServiceData } from '../scenario/model';
import { MINUTE, isoMillis, parseTime } from '../time';
import { hashParts } from '../random';
import { arrayParam, credential } from './params';

export interface KibanaOptions {
  token: string;
}

const VERSION = '9.1.0';

function kbError(status: number, message: string): Reply {
  const error =
    {
      400: 'Bad Request',
      401: 'Unauthorized',
      404: 'Not Found',
      429: 'Too Many Requests',
      500: 'Internal Server Error',
      502: 'Bad Gateway',
      503: 'Service Unavailable',
    }[status] ?? 'Error';
  return { status, body: { statusCode: status, error, message } };
}

function uuidFrom(...parts: Array<string | number>): string {
  const h = [0, 1, 2, 3]
    .map(i =>
      hashParts(...parts, i)
        .toString(16)
        .padStart(8, '0'),
    )
    .join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

interface FilterClause {
  field: string;
  value: string;
  re: RegExp;
  negate: boolean;
}

/** Parses a tiny KQL subset of rule filters: alert.attributes.<field>:<value> with and/or/not. */
function parseFilter(filter: string): FilterClause[][] {
  const orParts = filter.split(/\s+or\s+/i);
  return orParts.map(part =>
    part.split(/\s+and\s+/i).map(raw => {
      let text = raw.trim().replace(/^\(+|\)+$/g, '');
      const negate = /^not\s+/i.test(text);
      if (negate) text = text.replace(/^not\s+/i, '');
      const m = /^(?:alert\.attributes\.)?([\w.]+)\s*:\s*"?([^"]*)"?$/.exec(
        text,
      );
      if (!m)
        throw new HttpError(
          kbError(400, `Unsupported filter clause: ${raw.trim()}`),
        );
      const [, field, value] = m;
      const re = new RegExp(
        `^${value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
        'i',
      );
      return { field, value, re, negate };
    }),
  );
}

/**
 * The tag every rule the filter matches carries (one of and-ed clauses `tags:"<tag>"`, without
 * wildcards), when there is one: the rules to look at are then those of the services indexed
 * under it.
 */
function requiredTag(clauses: FilterClause[][]): string | undefined {
  if (clauses.length !== 1) return undefined;
  return clauses[0].find(
    c =>
      c.field === 'tags' &&
      !c.negate &&
      // Compared in lower case like the index: the filter's regex ignores ASCII case.
      /^[\x20-\x7e]*$/.test(c.value) &&
      !c.value.includes('*'),
  )?.value;
}

function filterPredicate(
  clauses: FilterClause[][],
): (rule: KibanaRule, svc: ScenarioService) => boolean {
  const values = (rule: KibanaRule, field: string): string[] => {
    switch (field) {
      case 'tags':
        return rule.tags;
      case 'name':
        return [rule.name];
      case 'alertTypeId':
      case 'rule_type_id':
        return ['.es-query'];
      case 'enabled':
        return ['true'];
      case 'consumer':
        return ['stackAlerts'];
      case 'params.index':
        return [rule.index];
      default:
        return [];
    }
  };
  return rule =>
    clauses.some(and =>
      and.every(
        c => values(rule, c.field).some(v => c.re.test(v)) !== c.negate,
      ),
    );
}

export function createKibana(
  store: ScenarioStore,
  opts: KibanaOptions,
): UpstreamDef {
  const muted = new Set<string>();
  const kibanaServices = () => store.services.filter(s => s.esIndexPattern);

  function activeAt(data: ServiceData, t: number): boolean {
    return data.spikes.some(s => s.from <= t && s.to >= t);
  }

  function lastExecution(rule: KibanaRule): number {
    const interval = rule.intervalMinutes * MINUTE;
    return Math.floor(store.asOf() / interval) * interval;
  }

  function renderRule(svc: ScenarioService, rule: KibanaRule) {
    const data = store.data(svc.index);
    const last = lastExecution(rule);
    const interval = rule.intervalMinutes * MINUTE;
    const active = activeAt(data, last) || activeAt(data, last - interval);
    const created = isoMillis(rule.createdAt);
    return {
      id: rule.id,
      name: rule.name,
      tags: rule.tags,
      enabled: true,
      consumer: 'stackAlerts',
      rule_type_id: '.es-query',
      schedule: { interval: `${rule.intervalMinutes}m` },
      actions: [],
      params: {
        searchType: 'esQuery',
        index: [rule.index],
        timeField: '@timestamp',
        esQuery: JSON.stringify({
          query: { query_string: { query: rule.query } },
        }),
        size: 100,
        threshold: [0],
        thresholdComparator: '>',
        timeWindowSize: rule.intervalMinutes,
        timeWindowUnit: 'm',
        excludeHitsFromPreviousRun: true,
        aggType: 'count',
        groupBy: 'all',
      },
      created_by: 'elastic',
      updated_by: 'elastic',
      created_at: created,
      updated_at: created,
      api_key_owner: 'elastic',
      api_key_created_by_user: false,
      throttle: null,
      notify_when: null,
      mute_all: muted.has(rule.id),
      muted_alert_ids: [],
      scheduled_task_id: rule.id,
      execution_status: {
        status: active ? 'active' : 'ok',
        last_execution_date: isoMillis(last),
        last_duration: 48,
      },
      last_run: {
        alerts_count: {
          new: 0,
          ignored: 0,
          recovered: 0,
          active: active ? 1 : 0,
        },
        outcome_msg: null,
        warning: null,
        outcome: 'succeeded',
      },
      next_run: isoMillis(last + interval),
      revision: 0,
      running: false,
      snooze_schedule: [],
      is_snoozed_until: null,
      view_in_app_relative_url: `/app/management/insightsAndAlerting/triggersActions/rule/${rule.id}`,
    };
  }

  function ruleOr404(id: string): { svc: ScenarioService; rule: KibanaRule } {
    const idx = store.serviceByKibanaRuleId(id);
    const rule =
      idx === undefined
        ? undefined
        : store.staticData(idx).kibanaRules.find(r => r.id === id);
    if (idx === undefined || !rule)
      throw new HttpError(kbError(404, `Saved object [alert/${id}] not found`));
    return { svc: store.service(idx), rule };
  }

  function intParam(ctx: Ctx, name: string, def: number, max: number): number {
    const raw = ctx.query.get(name);
    if (raw === null || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > max) {
      throw new HttpError(
        kbError(
          400,
          `[request query.${name}]: expected value of type [number] between 0 and ${max} but got [${raw}]`,
        ),
      );
    }
    return n;
  }

  const routes: RouteDef[] = [
    {
      method: 'GET',
      path: '/api/status',
      handler: () => {
        const ok = {
          level: 'available',
          summary: 'All services and plugins are available',
          meta: {},
        };
        return {
          status: 200,
          body: {
            name: 'kibana-sandbox',
            uuid: uuidFrom('kibana', store.ctx.seed),
            version: {
              number: VERSION,
              build_hash: 'sandbox',
              build_number: 88000,
              build_snapshot: false,
              build_flavor: 'traditional',
              build_date: '2025-07-01T00:00:00.000Z',
            },
            status: {
              overall: ok,
              core: {
                elasticsearch: {
                  level: 'available',
                  summary: 'Elasticsearch is available',
                  meta: {},
                },
                savedObjects: {
                  level: 'available',
                  summary:
                    'SavedObjects service has completed migrations and is available',
                  meta: {},
                },
              },
              plugins: {
                alerting: {
                  level: 'available',
                  summary: 'Alerting is available',
                  meta: {},
                },
              },
            },
            metrics: {
              last_updated: isoMillis(Date.now()),
              collection_interval_in_millis: 5000,
              elasticsearch_client: {
                totalActiveSockets: 0,
                totalIdleSockets: 1,
                totalQueuedRequests: 0,
              },
            },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/alerting/rules/_find',
      handler: ctx => {
        const perPage = intParam(ctx, 'per_page', 10, 10000);
        const page = Math.max(1, intParam(ctx, 'page', 1, 100000));
        const search = (ctx.query.get('search') ?? '')
          .trim()
          .replace(/^"|"$/g, '')
          .toLocaleLowerCase('en-US');
        let fields = arrayParam(ctx.query, 'search_fields');
        if (fields.length === 1 && fields[0].startsWith('[')) {
          try {
            fields = JSON.parse(fields[0]);
          } catch {
            throw new HttpError(
              kbError(
                400,
                '[request query.search_fields]: could not parse array value from json input',
              ),
            );
          }
        }
        if (!fields.length) fields = ['name', 'tags'];
        const filter = ctx.query.get('filter');
        const clauses = filter ? parseFilter(filter) : undefined;
        const predicate = clauses ? filterPredicate(clauses) : undefined;
        const sortField = ctx.query.get('sort_field') ?? 'name';
        if (
          !['name', 'created_at', 'updated_at', 'enabled'].includes(sortField)
        ) {
          throw new HttpError(
            kbError(
              400,
              `[request query.sort_field]: ${sortField} is not a sortable field`,
            ),
          );
        }
        const order = ctx.query.get('sort_order') === 'desc' ? -1 : 1;
        const rows: Array<{ svc: ScenarioService; rule: KibanaRule }> = [];
        // Rules are static: they are filtered and sorted without generating any service's
        // history; only the services of the page answered are generated (renderRule).
        const tag = clauses && requiredTag(clauses);
        const candidates =
          tag === undefined
            ? kibanaServices()
            : store.servicesByKibanaTag(tag).map(i => store.service(i));
        for (const svc of candidates) {
          for (const rule of store.staticData(svc.index).kibanaRules) {
            if (search) {
              const hay = fields.flatMap(f => {
                if (f === 'name') return [rule.name];
                return f === 'tags' ? rule.tags : [];
              });
              const words = search.split(/\s+/).filter(Boolean);
              if (
                !words.every(w =>
                  hay.some(h =>
                    h.toLocaleLowerCase('en-US').includes(w.replace(/\*/g, '')),
                  ),
                )
              )
                continue;
            }
            if (predicate && !predicate(rule, svc)) continue;
            rows.push({ svc, rule });
          }
        }
        rows.sort(
          (a, b) =>
            (sortField === 'name'
              ? a.rule.name.localeCompare(b.rule.name, 'en')
              : a.rule.createdAt - b.rule.createdAt) * order,
        );
        const slice = rows.slice((page - 1) * perPage, page * perPage);
        return {
          status: 200,
          body: {
            page,
            per_page: perPage,
            total: rows.length,
            data: slice.map(r => renderRule(r.svc, r.rule)),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/alerting/rule/{id}',
      handler: ctx => {
        const { svc, rule } = ruleOr404(ctx.params.id);
        return { status: 200, body: renderRule(svc, rule) };
      },
    },
    {
      method: 'POST',
      path: '/api/alerting/rule/{id}/_mute_all',
      handler: ctx => {
        muted.add(ruleOr404(ctx.params.id).rule.id);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/api/alerting/rule/{id}/_unmute_all',
      handler: ctx => {
        muted.delete(ruleOr404(ctx.params.id).rule.id);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/internal/alerting/rule/{id}/_execution_log',
      handler: ctx => {
        const { svc, rule } = ruleOr404(ctx.params.id);
        const data = store.data(svc.index);
        const rawStart = ctx.query.get('date_start');
        if (!rawStart)
          throw new HttpError(
            kbError(
              400,
              '[request query.date_start]: expected value of type [string] but got [undefined]',
            ),
          );
        const start = parseTime(rawStart);
        const rawEnd = ctx.query.get('date_end');
        const end = rawEnd ? parseTime(rawEnd) : store.asOf();
        if (start === undefined || end === undefined)
          throw new HttpError(
            kbError(400, `Invalid date for parameter dateStart: "${rawStart}"`),
          );
        const perPage = Math.max(1, intParam(ctx, 'per_page', 10, 10000));
        const page = Math.max(1, intParam(ctx, 'page', 1, 100000));
        let desc = true;
        const sort = ctx.query.get('sort');
        if (sort) {
          try {
            const parsed = JSON.parse(sort) as Array<
              Record<string, { order?: string }>
            >;
            desc = (parsed[0]?.timestamp?.order ?? 'desc') !== 'asc';
          } catch {
            throw new HttpError(
              kbError(
                400,
                '[request query.sort]: could not parse array value from json input',
              ),
            );
          }
        }
        const statusFilter = arrayParam(ctx.query, 'filter');
        const interval = rule.intervalMinutes * MINUTE;
        const first =
          Math.ceil(Math.max(start, rule.createdAt) / interval) * interval;
        const lastT =
          Math.floor(Math.min(end, store.asOf()) / interval) * interval;
        const total =
          lastT >= first ? Math.floor((lastT - first) / interval) + 1 : 0;
        const entry = (t: number) => {
          const now = activeAt(data, t) || activeAt(data, t - interval);
          const before =
            activeAt(data, t - interval) || activeAt(data, t - 2 * interval);
          const duration = 40 + (hashParts(rule.id, t) % 60);
          return {
            id: uuidFrom(rule.id, t),
            timestamp: isoMillis(t + 120),
            duration_ms: duration,
            status: 'success',
            message: `rule executed: .es-query:${rule.id}: '${rule.name}'`,
            version: VERSION,
            num_active_alerts: now ? 1 : 0,
            num_new_alerts: now && !before ? 1 : 0,
            num_recovered_alerts: !now && before ? 1 : 0,
            num_triggered_actions: 0,
            num_generated_actions: 0,
            num_succeeded_actions: 0,
            num_errored_actions: 0,
            total_search_duration_ms: Math.floor(duration / 2),
            es_search_duration_ms: Math.floor(duration / 3),
            schedule_delay_ms: 120,
            timed_out: false,
            rule_id: rule.id,
            space_ids: ['default'],
            rule_name: rule.name,
            maintenance_window_ids: [],
          };
        };
        // Only success is generated; a filter on other outcomes finds nothing.
        if (statusFilter.length && !statusFilter.some(f => /success/.test(f))) {
          return { status: 200, body: { total: 0, data: [] } };
        }
        const out = [];
        const from = (page - 1) * perPage;
        for (let i = from; i < Math.min(total, from + perPage); i++) {
          out.push(entry(desc ? lastT - i * interval : first + i * interval));
        }
        return { status: 200, body: { total, data: out } };
      },
    },
  ];

  const unauthorized = (): Reply =>
    kbError(
      401,
      '[security_exception]: unable to authenticate user for REST request',
    );
  return {
    name: 'kibana',
    routes,
    authenticate(ctx) {
      const cred = credential(ctx.req.headers.authorization);
      if (
        !cred ||
        !['apikey', 'bearer'].includes(cred.scheme) ||
        cred.value !== opts.token
      )
        return unauthorized();
      if (
        !['GET', 'HEAD'].includes(ctx.method) &&
        ctx.req.headers['kbn-xsrf'] === undefined
      ) {
        return kbError(400, 'Request must contain a kbn-xsrf header.');
      }
      return undefined;
    },
    unauthorized,
    serverError: status =>
      kbError(
        status,
        status === 503
          ? 'Kibana server is not ready yet'
          : 'An internal server error occurred.',
      ),
    rateLimited: (spec: NonNullable<FaultSpec['rateLimit']>) => ({
      ...kbError(spec.status ?? 429, 'Too Many Requests'),
      headers: { 'retry-after': String(spec.retryAfterSec ?? 1) },
    }),
    notFound: () => kbError(404, 'Not Found'),
  };
}
