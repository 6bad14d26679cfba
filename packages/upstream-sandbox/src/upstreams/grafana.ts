/*
 * Grafana HTTP API under /api: health, dashboard search, dashboards by uid, annotations
 * (deploy annotations and alert state changes), provisioned alert rules, and the firing alert
 * instances as Grafana's Prometheus-compatible and Alertmanager-compatible endpoints list them.
 */
import { FaultSpec, ScenarioService } from '../types';
import { HttpError, Reply, RouteDef, UpstreamDef } from '../http/server';
import { ScenarioStore } from '../scenario/store';
import {
  AlertRule,
  Annotation,
  Dashboard,
  ServiceData,
} from '../scenario/model';
import { isoMillis, isoSeconds, parseTime } from '../time';
import { arrayParam, credential } from './params';

export interface GrafanaOptions {
  token: string;
}

function gfError(status: number, message: string): Reply {
  return {
    status,
    body: { message, ...(status >= 500 ? { error: message } : {}) },
  };
}

function slug(title: string): string {
  return title
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Parses Alertmanager label matchers: {a="b",c!="d"}, a=b, a=~"x.*". */
function parseMatchers(
  filters: string[],
): Array<(labels: Record<string, string>) => boolean> {
  const out: Array<(labels: Record<string, string>) => boolean> = [];
  for (const f of filters) {
    const inner = f.trim().replace(/^\{/, '').replace(/\}$/, '');
    for (const part of inner.split(',')) {
      if (!part.trim()) continue;
      const m = /^\s*([\w.]+)\s*(=~|!~|!=|=)\s*"?([^"]*)"?\s*$/.exec(part);
      if (!m) throw new HttpError(gfError(400, `bad matcher format: ${part}`));
      const [, name, op, value] = m;
      if (op === '=') out.push(l => (l[name] ?? '') === value);
      else if (op === '!=') out.push(l => (l[name] ?? '') !== value);
      else {
        const re = new RegExp(`^(?:${value})$`);
        out.push(
          op === '=~'
            ? l => re.test(l[name] ?? '')
            : l => !re.test(l[name] ?? ''),
        );
      }
    }
  }
  return out;
}

export function createGrafana(
  store: ScenarioStore,
  opts: GrafanaOptions,
): UpstreamDef {
  const isGrafana = (s: ScenarioService) =>
    Boolean(s.grafanaTag || s.alertLabelSelector);
  const grafanaServices = () => store.services.filter(isGrafana);
  const folderUrl = (d: Dashboard) =>
    `/dashboards/f/${d.folderUid}/${slug(d.folderTitle)}`;

  function hit(d: Dashboard) {
    return {
      id: d.id,
      uid: d.uid,
      orgId: 1,
      title: d.title,
      uri: `db/${slug(d.title)}`,
      url: `/d/${d.uid}/${slug(d.title)}`,
      slug: '',
      type: 'dash-db',
      tags: d.tags,
      isStarred: false,
      folderId: d.folderId,
      folderUid: d.folderUid,
      folderTitle: d.folderTitle,
      folderUrl: folderUrl(d),
      sortMeta: 0,
    };
  }

  function renderAnnotation(a: Annotation) {
    const person = a.login
      ? store.org.persons.find(p => p.login === a.login)
      : undefined;
    return {
      id: a.id,
      alertId: a.alert?.alertId ?? 0,
      alertName: a.alert?.alertName ?? '',
      dashboardId: a.dashboardId ?? 0,
      dashboardUID: a.dashboardUid ?? '',
      panelId: a.panelId ?? 0,
      userId: person ? person.ghId % 1000 : 0,
      newState: a.alert?.newState ?? '',
      prevState: a.alert?.prevState ?? '',
      created: a.at,
      updated: a.at,
      time: a.at,
      timeEnd: a.timeEnd,
      text: a.text,
      tags: a.alert ? [] : a.tags,
      login: person?.login ?? '',
      email: person?.email ?? '',
      avatarUrl: person ? `/avatar/${person.ghId.toString(16)}` : '',
      data: a.alert ? { values: { B: 0, C: 1 } } : {},
      ...(a.alert ? { alertUID: a.alert.ruleUid } : {}),
    };
  }

  function renderRule(r: AlertRule) {
    return {
      id: r.id,
      uid: r.uid,
      orgID: 1,
      folderUID: r.folderUid,
      ruleGroup: r.ruleGroup,
      title: r.title,
      condition: 'C',
      data: [
        {
          refId: 'A',
          queryType: '',
          relativeTimeRange: { from: 600, to: 0 },
          datasourceUid: 'prometheus',
          model: { expr: r.expr, refId: 'A', instant: true },
        },
        {
          refId: 'C',
          queryType: '',
          relativeTimeRange: { from: 0, to: 0 },
          datasourceUid: '__expr__',
          model: {
            type: 'threshold',
            expression: 'A',
            refId: 'C',
            conditions: [{ evaluator: { type: 'gt', params: [0] } }],
          },
        },
      ],
      updated: isoSeconds(store.setupAt),
      noDataState: 'NoData',
      execErrState: 'Error',
      for: r.forDuration,
      annotations: r.annotations,
      labels: r.labels,
      provenance: 'api',
      isPaused: false,
    };
  }

  /**
   * The services whose alert windows may be open: every Grafana service, except in 'scale',
   * where only those in memory are looked at: a generated scale service's alert windows all
   * close before the anchor (its incidents end 2 hours before it), so generating the others
   * would find nothing, for minutes at 10,000 services.
   */
  function alertingServices(): Array<{
    svc: ScenarioService;
    data: ServiceData;
  }> {
    if (store.ctx.kind === 'scale') {
      return store
        .inMemory()
        .map(({ index, data }) => ({ svc: store.service(index), data }))
        .filter(({ svc }) => isGrafana(svc));
    }
    return grafanaServices().map(svc => ({ svc, data: store.data(svc.index) }));
  }

  /** Alert instances firing or pending at asOf. */
  function activeAlerts() {
    const asOf = store.asOf();
    const out: Array<{
      rule: AlertRule;
      svc: ScenarioService;
      state: 'Alerting' | 'Pending';
      activeAt: number;
      firingAt: number;
      value: string;
    }> = [];
    for (const { svc, data } of alertingServices()) {
      for (const w of data.alertWindows) {
        if (w.pendingAt > asOf) continue;
        if (w.resolvedAt !== undefined && w.resolvedAt <= asOf) continue;
        const rule = data.alertRules.find(r => r.uid === w.ruleUid);
        if (!rule) continue;
        out.push({
          rule,
          svc,
          state: w.firingAt <= asOf ? 'Alerting' : 'Pending',
          activeAt: w.pendingAt,
          firingAt: w.firingAt,
          value: w.value,
        });
      }
    }
    return out;
  }

  const allRules = () =>
    grafanaServices().flatMap(s =>
      store.staticData(s.index).alertRules.map(renderRule),
    );
  let scaleRules: string | undefined;

  const instanceLabels = (rule: AlertRule) => ({
    alertname: rule.title,
    grafana_folder: rule.folderUid.replace(/^f-/, ''),
    ...rule.labels,
  });

  const routes: RouteDef[] = [
    {
      method: 'GET',
      path: '/api/health',
      handler: () => ({
        status: 200,
        body: { commit: 'sandbox', database: 'ok', version: '12.1.0' },
      }),
    },
    {
      method: 'GET',
      path: '/api/search',
      handler: ctx => {
        const q = (ctx.query.get('query') ?? '').toLocaleLowerCase('en-US');
        const tags = arrayParam(ctx.query, 'tag');
        const type = ctx.query.get('type');
        const uids = arrayParam(ctx.query, 'dashboardUIDs', true);
        const folderUids = arrayParam(ctx.query, 'folderUIDs', true);
        const limit = Math.min(
          5000,
          Math.max(1, Number(ctx.query.get('limit') ?? 1000) || 1000),
        );
        const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
        if (type && !['dash-db', 'dash-folder'].includes(type))
          return { status: 200, body: [] };
        if (type === 'dash-folder') {
          const folders = store.org.teams
            .map((t, i) => ({
              id: 1000 + i,
              uid: `f-${t.name}`,
              orgId: 1,
              title: t.displayName,
              uri: `db/${slug(t.displayName)}`,
              url: `/dashboards/f/f-${t.name}/${slug(t.displayName)}`,
              slug: '',
              type: 'dash-folder',
              tags: [] as string[],
              isStarred: false,
              sortMeta: 0,
            }))
            .filter(f => !q || f.title.toLocaleLowerCase('en-US').includes(q));
          return {
            status: 200,
            body: folders.slice((page - 1) * limit, page * limit),
          };
        }
        // With a tag, only the services carrying it are looked at (fast at scale).
        const candidates = tags.length
          ? store.servicesByTag(tags[0]).map(i => store.service(i))
          : grafanaServices();
        const dashboards: Dashboard[] = [];
        // Dashboards are static: no service's history is generated for them.
        for (const svc of candidates) {
          for (const d of store.staticData(svc.index).dashboards) {
            if (tags.some(t => !d.tags.includes(t))) continue;
            if (q && !d.title.toLocaleLowerCase('en-US').includes(q)) continue;
            if (uids.length && !uids.includes(d.uid)) continue;
            if (folderUids.length && !folderUids.includes(d.folderUid))
              continue;
            dashboards.push(d);
          }
        }
        dashboards.sort((a, b) => a.title.localeCompare(b.title, 'en'));
        return {
          status: 200,
          body: dashboards.slice((page - 1) * limit, page * limit).map(hit),
        };
      },
    },
    {
      method: 'GET',
      path: '/api/dashboards/uid/{uid}',
      handler: ctx => {
        const idx = store.serviceByDashboardUid(ctx.params.uid);
        const d =
          idx === undefined
            ? undefined
            : store
                .staticData(idx)
                .dashboards.find(x => x.uid === ctx.params.uid);
        if (!d || idx === undefined)
          throw new HttpError(gfError(404, 'Dashboard not found'));
        const svc = store.service(idx);
        const created = isoSeconds(store.setupAt);
        return {
          status: 200,
          body: {
            dashboard: {
              id: d.id,
              uid: d.uid,
              title: d.title,
              tags: d.tags,
              timezone: 'utc',
              schemaVersion: 39,
              version: 3,
              editable: true,
              time: { from: 'now-6h', to: 'now' },
              annotations: {
                list: [
                  {
                    name: 'Deploys',
                    enable: true,
                    datasource: { type: 'grafana', uid: '-- Grafana --' },
                    target: {
                      type: 'tags',
                      tags: ['deploy', svc.grafanaTag ?? svc.name],
                      matchAny: false,
                    },
                  },
                ],
              },
              panels: [
                {
                  id: 1,
                  type: 'timeseries',
                  title: 'Requests per second',
                  gridPos: { x: 0, y: 0, w: 12, h: 8 },
                  targets: [
                    {
                      refId: 'A',
                      expr: `sum(rate(http_requests_total{service="${svc.name}"}[5m]))`,
                    },
                  ],
                },
                {
                  id: 2,
                  type: 'timeseries',
                  title: 'Error rate',
                  gridPos: { x: 12, y: 0, w: 12, h: 8 },
                  targets: [
                    {
                      refId: 'A',
                      expr: `sum(rate(http_requests_total{service="${svc.name}",code=~"5.."}[5m]))`,
                    },
                  ],
                },
                {
                  id: 3,
                  type: 'timeseries',
                  title: 'p95 latency',
                  gridPos: { x: 0, y: 8, w: 12, h: 8 },
                  targets: [
                    {
                      refId: 'A',
                      expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="${svc.name}"}[5m])))`,
                    },
                  ],
                },
              ],
            },
            meta: {
              type: 'db',
              canSave: false,
              canEdit: false,
              canAdmin: false,
              canStar: true,
              canDelete: false,
              slug: slug(d.title),
              url: `/d/${d.uid}/${slug(d.title)}`,
              expires: '0001-01-01T00:00:00Z',
              created,
              updated: created,
              updatedBy: 'admin',
              createdBy: 'admin',
              version: 3,
              hasAcl: false,
              isFolder: false,
              folderId: d.folderId,
              folderUid: d.folderUid,
              folderTitle: d.folderTitle,
              folderUrl: folderUrl(d),
              provisioned: true,
              provisionedExternalId: `${svc.name}.json`,
              annotationsPermissions: {
                dashboard: { canAdd: false, canEdit: false, canDelete: false },
                organization: {
                  canAdd: false,
                  canEdit: false,
                  canDelete: false,
                },
              },
            },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/annotations',
      handler: ctx => {
        const asOf = store.asOf();
        const num = (name: string) => {
          const raw = ctx.query.get(name);
          if (raw === null || raw === '') return undefined;
          const t = parseTime(raw);
          if (t === undefined)
            throw new HttpError(
              gfError(400, `${name} must be epoch milliseconds`),
            );
          return t;
        };
        const from = num('from') ?? -Infinity;
        const to = num('to') ?? Infinity;
        const limit = Math.max(1, Number(ctx.query.get('limit') ?? 100) || 100);
        const tags = arrayParam(ctx.query, 'tags');
        const matchAny = ctx.query.get('matchAny') === 'true';
        const type = ctx.query.get('type');
        if (type && !['alert', 'annotation'].includes(type))
          throw new HttpError(gfError(400, 'type must be alert or annotation'));
        const dashboardUid = ctx.query.get('dashboardUID');
        const alertId = ctx.query.get('alertId');
        const alertUid = ctx.query.get('alertUID');
        let candidates: ScenarioService[];
        if (dashboardUid) {
          const i = store.serviceByDashboardUid(dashboardUid);
          candidates = i === undefined ? [] : [store.service(i)];
        } else if (alertUid) {
          const i = store.serviceByRuleUid(alertUid);
          candidates = i === undefined ? [] : [store.service(i)];
        } else if (tags.length && !matchAny && type !== 'alert') {
          // Every tag must match: the services carrying one of them are enough to look at.
          const byTag = tags
            .map(t => store.servicesByTag(t))
            .find(l => l.length);
          candidates = byTag
            ? byTag.map(i => store.service(i))
            : grafanaServices();
        } else {
          candidates = grafanaServices();
        }
        const rows: Array<{ svc: ScenarioService; a: Annotation }> = [];
        for (const svc of candidates) {
          for (const a of store.data(svc.index).annotations) {
            if (a.at > asOf) continue;
            if (a.at > to || a.timeEnd < from) continue;
            if (type === 'alert' && !a.alert) continue;
            if (type === 'annotation' && a.alert) continue;
            if (dashboardUid && a.dashboardUid !== dashboardUid) continue;
            if (alertUid && a.alert?.ruleUid !== alertUid) continue;
            if (alertId && String(a.alert?.alertId ?? '') !== alertId) continue;
            if (tags.length && type !== 'alert') {
              const ok = matchAny
                ? tags.some(t => a.tags.includes(t))
                : tags.every(t => a.tags.includes(t));
              if (!ok) continue;
            }
            rows.push({ svc, a });
          }
        }
        rows.sort((x, y) => y.a.at - x.a.at || y.a.id - x.a.id);
        return {
          status: 200,
          body: rows.slice(0, limit).map(r => renderAnnotation(r.a)),
        };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/provisioning/alert-rules',
      handler: () => {
        // Alert rules are static: every rule is listed without generating any service's
        // history. 'scale' has no others (no stories), so its list never changes: it is
        // rendered once (20,000 rules at 10,000 services, which DASH reads for every entity).
        if (store.ctx.kind === 'scale') {
          scaleRules ??= JSON.stringify(allRules());
          return { status: 200, text: scaleRules };
        }
        return { status: 200, body: allRules() };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/provisioning/alert-rules/{uid}',
      handler: ctx => {
        const i = store.serviceByRuleUid(ctx.params.uid);
        const rule =
          i === undefined
            ? undefined
            : store
                .staticData(i)
                .alertRules.find(r => r.uid === ctx.params.uid);
        if (!rule) throw new HttpError(gfError(404, 'Not found'));
        return { status: 200, body: renderRule(rule) };
      },
    },
    {
      method: 'GET',
      path: '/api/prometheus/grafana/api/v1/alerts',
      handler: () => ({
        status: 200,
        body: {
          status: 'success',
          data: {
            alerts: activeAlerts().map(a => ({
              labels: instanceLabels(a.rule),
              annotations: {
                summary: a.rule.annotations.summary,
                runbook_url: a.rule.annotations.runbook_url,
                __dashboardUid__: a.rule.dashboardUid,
                __panelId__: a.rule.annotations.__panelId__,
              },
              state: a.state,
              activeAt: isoMillis(a.activeAt),
              value: a.value,
            })),
          },
        },
      }),
    },
    {
      method: 'GET',
      path: '/api/alertmanager/grafana/api/v2/alerts',
      handler: ctx => {
        const matchers = parseMatchers(arrayParam(ctx.query, 'filter'));
        const active = ctx.query.get('active') !== 'false';
        const alerts = active
          ? activeAlerts().filter(a => a.state === 'Alerting')
          : [];
        return {
          status: 200,
          body: alerts
            .map(a => ({ a, labels: instanceLabels(a.rule) }))
            .filter(({ labels }) => matchers.every(m => m(labels)))
            .map(({ a, labels }) => ({
              annotations: {
                summary: a.rule.annotations.summary,
                runbook_url: a.rule.annotations.runbook_url,
              },
              endsAt: isoMillis(store.asOf() + 4 * 60 * 1000),
              fingerprint: Buffer.from(`${a.rule.uid}`)
                .toString('hex')
                .slice(0, 16)
                .padEnd(16, '0'),
              receivers: [{ name: 'pagerduty' }],
              startsAt: isoMillis(a.firingAt),
              status: { inhibitedBy: [], silencedBy: [], state: 'active' },
              updatedAt: isoMillis(store.asOf()),
              generatorURL: `${ctx.baseUrl}/alerting/grafana/${a.rule.uid}/view`,
              labels,
            })),
        };
      },
    },
  ];

  const unauthorized = (): Reply => gfError(401, 'Unauthorized');
  return {
    name: 'grafana',
    routes,
    authenticate(ctx) {
      if (ctx.path === '/api/health') return undefined;
      const cred = credential(ctx.req.headers.authorization);
      if (!cred || cred.scheme !== 'bearer' || cred.value !== opts.token)
        return unauthorized();
      return undefined;
    },
    unauthorized,
    serverError: status =>
      gfError(
        status,
        { 502: 'Bad Gateway', 503: 'Service Unavailable' }[status] ??
          'Internal Server Error',
      ),
    rateLimited: (spec: NonNullable<FaultSpec['rateLimit']>) => ({
      ...gfError(spec.status ?? 429, 'Too many requests'),
      headers: { 'retry-after': String(spec.retryAfterSec ?? 1) },
    }),
    notFound: () => gfError(404, 'Not found'),
  };
}
