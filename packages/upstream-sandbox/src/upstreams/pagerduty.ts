/*
 * PagerDuty REST API v2: services, incidents and their log entries, log entries, on-calls,
 * escalation policies, schedules, users and change events, with offset pagination, the
 * PagerDuty error envelope and a per-token rate budget (ratelimit-* headers, 429 past it). The
 * Events API v2 (./pagerduty/events.ts) is served on the same port under /v2.
 */
import { FaultSpec, ScenarioService } from '../types';
import { Ctx, HttpError, Reply, RouteDef, UpstreamDef } from '../http/server';
import { ScenarioStore } from '../scenario/store';
import {
  PdChangeEvent,
  PdIncident,
  PdLogEntry,
  Person,
  Team,
} from '../scenario/model';
import {
  escalationTargets,
  shifts,
  ROTATION_ANCHOR,
  WEEK,
  ESCALATION_DELAY_MIN,
} from '../scenario/org';
import { serviceIndexOfIncidentId } from '../scenario/generate';
import { eventsError, eventsRoutes, isEventsPath } from './pagerduty/events';
import { compare } from '../util';
import { DAY, MINUTE, isoSeconds, lowerBound, parseTime } from '../time';
import {
  ParamError,
  arrayParam,
  boolParam,
  credential,
  intParam,
} from './params';

const WEB = 'https://acme.pagerduty.com';

export interface PagerDutyOptions {
  token: string;
  perMinute: number;
  /** The budget's minute lasts MINUTE / windowScale (default 1). */
  windowScale?: number;
}

function pdError(
  status: number,
  message: string,
  code: number,
  errors?: string[],
): Reply {
  return {
    status,
    body: { error: { message, code, ...(errors ? { errors } : {}) } },
  };
}

function badInput(message: string): HttpError {
  return new HttpError(pdError(400, 'Invalid Input Provided', 2001, [message]));
}

function notFound(): HttpError {
  return new HttpError(pdError(404, 'Not Found', 2100));
}

function params<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ParamError) throw badInput(e.message);
    throw e;
  }
}

interface Page {
  limit: number;
  offset: number;
  total: boolean;
}

function page(ctx: Ctx): Page {
  return params(() => ({
    limit: intParam(ctx.query, 'limit', 25, { min: 1, max: 100, clamp: true }),
    offset: intParam(ctx.query, 'offset', 0, { min: 0 }),
    total: boolParam(ctx.query, 'total', false),
  }));
}

function paginate<T>(
  items: T[],
  p: Page,
): {
  slice: T[];
  meta: { limit: number; offset: number; more: boolean; total: number | null };
} {
  const slice = items.slice(p.offset, p.offset + p.limit);
  return {
    slice,
    meta: {
      limit: p.limit,
      offset: p.offset,
      more: p.offset + slice.length < items.length,
      total: p.total ? items.length : null,
    },
  };
}

/** since/until of a list: explicit values, or `defaultDays` back from until. */
function range(
  ctx: Ctx,
  store: ScenarioStore,
  defaultDays: number,
  maxDays?: number,
): { since: number; until: number } {
  const rawSince = ctx.query.get('since');
  const rawUntil = ctx.query.get('until');
  const since = parseTime(rawSince);
  const until = parseTime(rawUntil);
  if (rawSince && since === undefined)
    throw new HttpError(
      pdError(400, "Invalid 'since' or 'until' Parameter Values", 2004, [
        `since '${rawSince}' is not a date`,
      ]),
    );
  if (rawUntil && until === undefined)
    throw new HttpError(
      pdError(400, "Invalid 'since' or 'until' Parameter Values", 2004, [
        `until '${rawUntil}' is not a date`,
      ]),
    );
  const u = until ?? store.asOf();
  const s = since ?? u - defaultDays * DAY;
  if (s > u)
    throw new HttpError(
      pdError(400, 'Invalid Query Date Range', 2005, [
        'since must be before until',
      ]),
    );
  if (maxDays !== undefined && u - s > maxDays * DAY) {
    throw new HttpError(
      pdError(400, 'Invalid Query Date Range', 2005, [
        `The date range may span at most ${maxDays} days`,
      ]),
    );
  }
  return { since: s, until: u };
}

export function createPagerDuty(
  store: ScenarioStore,
  opts: PagerDutyOptions,
): UpstreamDef {
  const budgets = new Map<string, { windowStart: number; used: number }>();
  const budgetWindow = MINUTE / Math.max(1, opts.windowScale ?? 1);
  const seed = store.ctx.seed;
  const org = store.org;

  const ref = (
    ctx: Ctx,
    type: string,
    id: string,
    summary: string,
    apiPath: string,
    webPath: string | null,
  ) => ({
    id,
    type,
    summary,
    self: `${ctx.baseUrl}/${apiPath}`,
    html_url: webPath === null ? null : `${WEB}/${webPath}`,
  });
  const userRef = (ctx: Ctx, p: Person) =>
    ref(
      ctx,
      'user_reference',
      p.pdId,
      p.displayName,
      `users/${p.pdId}`,
      `users/${p.pdId}`,
    );
  const personOf = (name: string | undefined) =>
    name ? org.personByName.get(name) : undefined;
  const teamRef = (ctx: Ctx, t: Team) =>
    ref(
      ctx,
      'team_reference',
      t.pdTeamId,
      t.displayName,
      `teams/${t.pdTeamId}`,
      `teams/${t.pdTeamId}`,
    );
  const policyRef = (ctx: Ctx, t: Team) =>
    ref(
      ctx,
      'escalation_policy_reference',
      t.escalationPolicyId,
      t.escalationPolicyName,
      `escalation_policies/${t.escalationPolicyId}`,
      `escalation_policies/${t.escalationPolicyId}`,
    );
  const scheduleRef = (ctx: Ctx, t: Team) =>
    ref(
      ctx,
      'schedule_reference',
      t.scheduleId,
      t.scheduleName,
      `schedules/${t.scheduleId}`,
      `schedules/${t.scheduleId}`,
    );
  const serviceRef = (ctx: Ctx, s: ScenarioService) =>
    ref(
      ctx,
      'service_reference',
      s.pagerdutyServiceId!,
      s.name,
      `services/${s.pagerdutyServiceId}`,
      `service-directory/${s.pagerdutyServiceId}`,
    );
  const incidentRef = (ctx: Ctx, inc: PdIncident) =>
    ref(
      ctx,
      'incident_reference',
      inc.id,
      `[#${inc.number}] ${inc.title}`,
      `incidents/${inc.id}`,
      `incidents/${inc.id}`,
    );

  const pdServices = () => store.services.filter(s => s.pagerdutyServiceId);

  /** The incident's state at `asOf`, from its log entries up to then. */
  function incidentState(inc: PdIncident, asOf: number) {
    const entries = inc.log.filter(e => e.at <= asOf);
    let status: 'triggered' | 'acknowledged' | 'resolved' = 'triggered';
    let lastChange = inc.createdAt;
    let lastChangeBy: string | undefined;
    let assignees: Array<{ user: string; at: number }> = [];
    let acks: Array<{ user: string; at: number }> = [];
    let resolvedAt: number | undefined;
    for (const e of entries) {
      switch (e.type) {
        case 'assign_log_entry':
          if (e.user) assignees = [{ user: e.user, at: e.at }];
          break;
        case 'acknowledge_log_entry':
          status = 'acknowledged';
          lastChange = e.at;
          lastChangeBy = e.agent;
          // Through the Events API there is no user: the service acknowledged it.
          acks.push({ user: e.agent ?? '', at: e.at });
          break;
        case 'escalate_log_entry':
          // Escalating re-triggers the incident and reassigns it.
          status = 'triggered';
          lastChange = e.at;
          lastChangeBy = e.agent;
          acks = [];
          if (e.user) assignees = [{ user: e.user, at: e.at }];
          break;
        case 'resolve_log_entry':
          status = 'resolved';
          lastChange = e.at;
          lastChangeBy = e.agent;
          resolvedAt = e.at;
          break;
        default:
          break;
      }
    }
    return {
      status,
      lastChange,
      lastChangeBy,
      assignees: status === 'resolved' ? [] : assignees,
      acks: status === 'acknowledged' ? acks : [],
      resolvedAt,
      updatedAt: entries.length
        ? entries[entries.length - 1].at
        : inc.createdAt,
      level: entries.some(e => e.type === 'escalate_log_entry') ? 2 : 1,
    };
  }

  function renderIncident(
    ctx: Ctx,
    svc: ScenarioService,
    inc: PdIncident,
    asOf: number,
  ) {
    const st = incidentState(inc, asOf);
    const team = store.teamOf(svc);
    const trigger = inc.log[0];
    const changer = personOf(st.lastChangeBy);
    return {
      id: inc.id,
      type: 'incident',
      summary: `[#${inc.number}] ${inc.title}`,
      self: `${ctx.baseUrl}/incidents/${inc.id}`,
      html_url: `${WEB}/incidents/${inc.id}`,
      incident_number: inc.number,
      title: inc.title,
      description: inc.description,
      created_at: isoSeconds(inc.createdAt),
      updated_at: isoSeconds(st.updatedAt),
      status: st.status,
      incident_key: inc.key,
      service: serviceRef(ctx, svc),
      assignments: st.assignees
        .map(a => ({
          at: isoSeconds(a.at),
          assignee: userRef(ctx, personOf(a.user)!),
        }))
        .filter(a => a.assignee),
      assigned_via: 'escalation_policy',
      last_status_change_at: isoSeconds(st.lastChange),
      last_status_change_by: changer
        ? userRef(ctx, changer)
        : serviceRef(ctx, svc),
      resolved_at:
        st.resolvedAt === undefined ? null : isoSeconds(st.resolvedAt),
      first_trigger_log_entry: ref(
        ctx,
        'trigger_log_entry_reference',
        trigger.id,
        trigger.summary,
        `log_entries/${trigger.id}`,
        `incidents/${inc.id}/log_entries/${trigger.id}`,
      ),
      alert_counts: {
        all: 1,
        triggered: st.status === 'resolved' ? 0 : 1,
        resolved: st.status === 'resolved' ? 1 : 0,
      },
      pending_actions: [],
      is_mergeable: true,
      incident_type: { name: 'incident_default' },
      escalation_policy: policyRef(ctx, team),
      teams: [teamRef(ctx, team)],
      acknowledgements: st.acks.map(a => ({
        at: isoSeconds(a.at),
        acknowledger: personOf(a.user)
          ? userRef(ctx, personOf(a.user)!)
          : serviceRef(ctx, svc),
      })),
      urgency: inc.urgency,
      incidents_responders: [],
      responder_requests: [],
      ...(inc.chatUrl &&
      arrayParam(ctx.query, 'include').includes('conference_bridge')
        ? { conference_bridge: { conference_url: inc.chatUrl } }
        : {}),
    };
  }

  function renderLogEntry(
    ctx: Ctx,
    svc: ScenarioService,
    inc: PdIncident,
    e: PdLogEntry,
  ) {
    const team = store.teamOf(svc);
    const agent = personOf(e.agent);
    const out: Record<string, unknown> = {
      id: e.id,
      type: e.type,
      summary: e.summary,
      self: `${ctx.baseUrl}/log_entries/${e.id}`,
      html_url:
        e.type === 'trigger_log_entry'
          ? `${WEB}/incidents/${inc.id}/log_entries/${e.id}`
          : null,
      created_at: isoSeconds(e.at),
      agent: agent ? userRef(ctx, agent) : serviceRef(ctx, svc),
      channel:
        e.channel === 'note'
          ? { type: 'note', summary: e.note ?? '' }
          : { type: e.channel, summary: e.channel },
      service: serviceRef(ctx, svc),
      incident: incidentRef(ctx, inc),
      teams: [teamRef(ctx, team)],
      contexts: [],
    };
    if (e.type === 'trigger_log_entry') {
      out.event_details = { description: inc.title };
      out.channel = {
        type: 'api',
        summary: inc.title,
        description: inc.description,
        incident_key: inc.key,
        details: {},
      };
    }
    if (e.type === 'notify_log_entry' && personOf(e.user))
      out.user = userRef(ctx, personOf(e.user)!);
    if (
      (e.type === 'assign_log_entry' || e.type === 'escalate_log_entry') &&
      personOf(e.user)
    ) {
      out.assignees = [userRef(ctx, personOf(e.user)!)];
    }
    if (e.type === 'acknowledge_log_entry') out.acknowledgement_timeout = 1800;
    if (e.note) out.note = e.note;
    return out;
  }

  function renderIntegration(ctx: Ctx, svc: ScenarioService, full: boolean) {
    const integration = store.pdIntegration(svc.pagerdutyServiceId!)!;
    const path = `services/${svc.pagerdutyServiceId}/integrations/${integration.integrationId}`;
    const reference = ref(
      ctx,
      'events_api_v2_inbound_integration_reference',
      integration.integrationId,
      'Events API v2',
      path,
      path,
    );
    if (!full) return reference;
    const created = store.repoInfo(svc.index).repoCreatedAt;
    return {
      ...reference,
      type: 'events_api_v2_inbound_integration',
      name: 'Events API v2',
      service: serviceRef(ctx, svc),
      created_at: isoSeconds(created),
      vendor: null,
      integration_key: integration.integrationKey,
    };
  }

  /** include[] of the services routes: integrations are then full objects (the rest stay references). */
  function includes(ctx: Ctx): Set<string> {
    const values = arrayParam(ctx.query, 'include');
    const known = [
      'escalation_policies',
      'teams',
      'integrations',
      'auto_pause_notifications_parameters',
    ];
    for (const v of values)
      if (!known.includes(v))
        throw badInput(
          `include[] must be one of ${known.join(', ')}, got '${v}'`,
        );
    return new Set(values);
  }

  function renderService(
    ctx: Ctx,
    svc: ScenarioService,
    asOf: number,
    include: Set<string> = new Set(),
  ) {
    const team = store.teamOf(svc);
    const created = store.repoInfo(svc.index).repoCreatedAt;
    let status = 'active';
    let lastIncident: number | undefined;
    // 'scale' lists services without generating their data: its incidents are all resolved
    // (status active) and last_incident_timestamp is left out.
    if (store.ctx.kind !== 'scale') {
      for (const inc of store.data(svc.index).incidents) {
        if (inc.createdAt > asOf) continue;
        lastIncident = inc.createdAt;
        const st = incidentState(inc, asOf).status;
        if (st === 'triggered') status = 'critical';
        else if (st === 'acknowledged' && status !== 'critical')
          status = 'warning';
      }
    }
    return {
      id: svc.pagerdutyServiceId,
      type: 'service',
      summary: svc.name,
      self: `${ctx.baseUrl}/services/${svc.pagerdutyServiceId}`,
      html_url: `${WEB}/service-directory/${svc.pagerdutyServiceId}`,
      name: svc.name,
      description: svc.description,
      auto_resolve_timeout: 14400,
      acknowledgement_timeout: 1800,
      created_at: isoSeconds(created),
      updated_at: isoSeconds(created),
      status,
      ...(lastIncident !== undefined
        ? { last_incident_timestamp: isoSeconds(lastIncident) }
        : {}),
      escalation_policy: policyRef(ctx, team),
      teams: [teamRef(ctx, team)],
      integrations: [renderIntegration(ctx, svc, include.has('integrations'))],
      incident_urgency_rule: { type: 'constant', urgency: 'high' },
      scheduled_actions: [],
      addons: [],
      alert_creation: 'create_alerts_and_incidents',
    };
  }

  function serviceOr404(id: string): ScenarioService {
    const svc = store.serviceByPdId(id);
    if (!svc) throw notFound();
    return svc;
  }

  function findIncident(
    id: string,
  ): { svc: ScenarioService; inc: PdIncident } | undefined {
    const find = (svc: ScenarioService) =>
      svc.pagerdutyServiceId
        ? store.data(svc.index).incidents.find(i => i.id === id)
        : undefined;
    // Background incident ids carry their service's index: that service is looked at first.
    const idx = serviceIndexOfIncidentId(id);
    const owner =
      idx !== undefined && idx < store.services.length
        ? store.service(idx)
        : undefined;
    const own = owner && find(owner);
    if (own) return { svc: owner, inc: own };
    // 'scale' has no story incidents: an id that names no service's incident names none at all
    // (and looking through 10,000 services would generate them all).
    if (store.ctx.kind === 'scale') return undefined;
    for (const svc of pdServices()) {
      const inc = find(svc);
      if (inc) return { svc, inc };
    }
    return undefined;
  }

  function visibleIncident(id: string, asOf: number) {
    const found = findIncident(id);
    if (!found || found.inc.createdAt > asOf) throw notFound();
    return found;
  }

  /** Services selected by service_ids[] (all PagerDuty services when absent), then team_ids[]. */
  function selectServices(ctx: Ctx): ScenarioService[] {
    const ids = arrayParam(ctx.query, 'service_ids');
    let list = ids.length
      ? ids
          .map(id => store.serviceByPdId(id))
          .filter((s): s is ScenarioService => !!s)
      : pdServices();
    const teamIds = arrayParam(ctx.query, 'team_ids');
    if (teamIds.length)
      list = list.filter(s => teamIds.includes(store.teamOf(s).pdTeamId));
    return list;
  }

  function listIncidents(ctx: Ctx): Reply {
    const p = page(ctx);
    const asOf = store.asOf();
    const all = ctx.query.get('date_range') === 'all';
    const { since, until } = all
      ? { since: -Infinity, until: Infinity }
      : range(ctx, store, 30, 180);
    const statuses = arrayParam(ctx.query, 'statuses');
    for (const s of statuses)
      if (!['triggered', 'acknowledged', 'resolved'].includes(s))
        throw badInput(
          `statuses[] must be triggered, acknowledged or resolved, got '${s}'`,
        );
    const urgencies = arrayParam(ctx.query, 'urgencies');
    const userIds = arrayParam(ctx.query, 'user_ids');
    const key = ctx.query.get('incident_key');
    const rows: Array<{
      svc: ScenarioService;
      inc: PdIncident;
      state: ReturnType<typeof incidentState>;
    }> = [];
    for (const svc of selectServices(ctx)) {
      const incidents = store.data(svc.index).incidents;
      const start =
        since === -Infinity
          ? 0
          : lowerBound(incidents, since, i => i.createdAt);
      for (let i = start; i < incidents.length; i++) {
        const inc = incidents[i];
        if (inc.createdAt >= until || inc.createdAt > asOf) break;
        const state = incidentState(inc, asOf);
        if (statuses.length && !statuses.includes(state.status)) continue;
        if (urgencies.length && !urgencies.includes(inc.urgency)) continue;
        if (key && inc.key !== key) continue;
        if (
          userIds.length &&
          !state.assignees.some(a =>
            userIds.includes(personOf(a.user)?.pdId ?? ''),
          )
        )
          continue;
        rows.push({ svc, inc, state });
      }
    }
    const sorts = arrayParam(ctx.query, 'sort_by', true);
    const keys = (sorts.length ? sorts : ['created_at:asc']).map(s => {
      const [field, dir = 'asc'] = s.split(':');
      if (
        !['incident_number', 'created_at', 'resolved_at', 'urgency'].includes(
          field,
        ) ||
        !['asc', 'desc'].includes(dir)
      ) {
        throw badInput(
          `sort_by '${s}' is not supported (incident_number, created_at, resolved_at, urgency with :asc or :desc)`,
        );
      }
      return { field, sign: dir === 'desc' ? -1 : 1 };
    });
    const value = (r: (typeof rows)[number], field: string): number => {
      if (field === 'incident_number') return r.inc.number;
      if (field === 'resolved_at')
        return r.state.resolvedAt ?? Number.MAX_SAFE_INTEGER;
      if (field === 'urgency') return r.inc.urgency === 'high' ? 1 : 0;
      return r.inc.createdAt;
    };
    rows.sort((a, b) => {
      for (const k of keys) {
        const d = value(a, k.field) - value(b, k.field);
        if (d !== 0) return d * k.sign;
      }
      return a.inc.number - b.inc.number;
    });
    const { slice, meta } = paginate(rows, p);
    return {
      status: 200,
      body: {
        incidents: slice.map(r => renderIncident(ctx, r.svc, r.inc, asOf)),
        ...meta,
      },
    };
  }

  function logEntriesOf(
    ctx: Ctx,
    pairs: Array<{ svc: ScenarioService; inc: PdIncident }>,
    since: number,
    until: number,
  ) {
    const asOf = store.asOf();
    const rows: Array<{
      svc: ScenarioService;
      inc: PdIncident;
      e: PdLogEntry;
    }> = [];
    for (const { svc, inc } of pairs) {
      for (const e of inc.log) {
        if (e.at > asOf || e.at < since || e.at >= until) continue;
        rows.push({ svc, inc, e });
      }
    }
    // Newest first, as PagerDuty lists log entries.
    rows.sort((a, b) => b.e.at - a.e.at || (a.e.id < b.e.id ? 1 : -1));
    if (boolParam(ctx.query, 'is_overview', false)) {
      return rows.filter(
        r => !['notify_log_entry', 'assign_log_entry'].includes(r.e.type),
      );
    }
    return rows;
  }

  function renderChangeEvent(
    ctx: Ctx,
    svc: ScenarioService,
    ce: PdChangeEvent,
  ) {
    const integrationId = store.pdIntegration(
      svc.pagerdutyServiceId!,
    )!.integrationId;
    return {
      id: ce.id,
      type: 'change_event',
      summary: ce.summary,
      timestamp: isoSeconds(ce.at),
      source: ce.source,
      services: [serviceRef(ctx, svc)],
      integration: {
        id: integrationId,
        type: 'inbound_integration_reference',
        self: `${ctx.baseUrl}/services/${svc.pagerdutyServiceId}/integrations/${integrationId}`,
        html_url: null,
        summary: 'Events API v2',
      },
      custom_details: ce.customDetails,
      links: ce.links,
      images: [],
    };
  }

  function listChangeEvents(ctx: Ctx, services: ScenarioService[]): Reply {
    const p = page(ctx);
    const asOf = store.asOf();
    const { since, until } = range(ctx, store, 90);
    const rows: Array<{ svc: ScenarioService; ce: PdChangeEvent }> = [];
    for (const svc of services) {
      const events = store.data(svc.index).changeEvents;
      for (
        let i = lowerBound(events, since, e => e.at);
        i < events.length;
        i++
      ) {
        const ce = events[i];
        if (ce.at >= until || ce.at > asOf) break;
        rows.push({ svc, ce });
      }
    }
    rows.sort((a, b) => b.ce.at - a.ce.at || (a.ce.id < b.ce.id ? 1 : -1));
    const { slice, meta } = paginate(rows, p);
    return {
      status: 200,
      body: {
        change_events: slice.map(r => renderChangeEvent(ctx, r.svc, r.ce)),
        ...meta,
      },
    };
  }

  function renderUser(ctx: Ctx, p: Person) {
    const team = org.teamByName.get(p.team);
    return {
      id: p.pdId,
      type: 'user',
      summary: p.displayName,
      self: `${ctx.baseUrl}/users/${p.pdId}`,
      html_url: `${WEB}/users/${p.pdId}`,
      name: p.displayName,
      email: p.email,
      time_zone: 'Etc/UTC',
      color: 'purple',
      role: 'user',
      avatar_url: `https://secure.gravatar.com/avatar/${p.pdId.toLocaleLowerCase(
        'en-US',
      )}.png?d=mm&r=PG`,
      description: null,
      invitation_sent: false,
      job_title: 'Engineer',
      teams: team ? [teamRef(ctx, team)] : [],
      contact_methods: [],
      notification_rules: [],
    };
  }

  function renderPolicy(ctx: Ctx, team: Team) {
    const levels = escalationTargets(org, team);
    return {
      id: team.escalationPolicyId,
      type: 'escalation_policy',
      summary: team.escalationPolicyName,
      self: `${ctx.baseUrl}/escalation_policies/${team.escalationPolicyId}`,
      html_url: `${WEB}/escalation_policies/${team.escalationPolicyId}`,
      name: team.escalationPolicyName,
      description: `Pages ${team.displayName} first, then SRE.`,
      num_loops: 1,
      on_call_handoff_notifications: 'if_has_services',
      escalation_rules: levels.map((t, i) => ({
        id: `${team.escalationPolicyId}R${i + 1}`,
        escalation_delay_in_minutes: ESCALATION_DELAY_MIN,
        targets: [scheduleRef(ctx, t)],
      })),
      services: store
        .servicesOfTeam(team)
        .map(i => store.service(i))
        .filter(s => s.pagerdutyServiceId)
        .map(s => serviceRef(ctx, s)),
      teams: [teamRef(ctx, team)],
    };
  }

  function renderSchedule(ctx: Ctx, team: Team, since: number, until: number) {
    const entries = shifts(team, seed, since, until).map(s => ({
      start: isoSeconds(Math.max(s.start, since)),
      end: isoSeconds(Math.min(s.end, until)),
      user: userRef(ctx, personOf(s.user)!),
    }));
    const members = team.members.map(m => personOf(m)!).filter(Boolean);
    const policies = org.teams.filter(t =>
      escalationTargets(org, t).includes(team),
    );
    return {
      id: team.scheduleId,
      type: 'schedule',
      summary: team.scheduleName,
      self: `${ctx.baseUrl}/schedules/${team.scheduleId}`,
      html_url: `${WEB}/schedules/${team.scheduleId}`,
      name: team.scheduleName,
      time_zone: 'UTC',
      description: `Weekly rotation of ${team.displayName}, hand-off Monday 09:00 UTC`,
      schedule_layers: [
        {
          id: `${team.scheduleId}L1`,
          name: 'Weekly rotation',
          start: isoSeconds(ROTATION_ANCHOR),
          rotation_virtual_start: isoSeconds(ROTATION_ANCHOR),
          rotation_turn_length_seconds: WEEK / 1000,
          users: members.map(m => ({ user: userRef(ctx, m) })),
          restrictions: [],
          rendered_schedule_entries: entries,
          rendered_coverage_percentage: 100,
        },
      ],
      final_schedule: {
        name: 'Final Schedule',
        rendered_schedule_entries: entries,
        rendered_coverage_percentage: 100,
      },
      overrides_subschedule: {
        name: 'Overrides',
        rendered_schedule_entries: [],
        rendered_coverage_percentage: 0,
      },
      escalation_policies: policies.map(t => policyRef(ctx, t)),
      users: members.map(m => userRef(ctx, m)),
      teams: [teamRef(ctx, team)],
    };
  }

  function oncalls(ctx: Ctx): Reply {
    const p = page(ctx);
    const policyIds = arrayParam(ctx.query, 'escalation_policy_ids');
    const scheduleIds = arrayParam(ctx.query, 'schedule_ids');
    const userIds = arrayParam(ctx.query, 'user_ids');
    const earliest = params(() => boolParam(ctx.query, 'earliest', false));
    const hasRange = ctx.query.has('since') || ctx.query.has('until');
    const now = store.asOf();
    const { since, until } = hasRange
      ? range(ctx, store, 0, 90)
      : { since: now, until: now + 1 };
    if (hasRange && !ctx.query.has('since'))
      throw badInput('since is required with until');
    const rows: Array<
      Record<string, unknown> & { _sort: [string, number, number] }
    > = [];
    for (const team of org.teams) {
      if (policyIds.length && !policyIds.includes(team.escalationPolicyId))
        continue;
      const targets = escalationTargets(org, team);
      for (let i = 0; i < targets.length; i++) {
        const target = targets[i];
        if (scheduleIds.length && !scheduleIds.includes(target.scheduleId))
          continue;
        const seen = new Set<string>();
        for (const s of shifts(
          target,
          seed,
          since,
          Math.max(until, since + 1),
        )) {
          if (s.end <= since || s.start >= Math.max(until, since + 1)) continue;
          const person = personOf(s.user);
          if (!person) continue;
          if (userIds.length && !userIds.includes(person.pdId)) continue;
          if (earliest && seen.has(person.pdId)) continue;
          seen.add(person.pdId);
          rows.push({
            escalation_policy: policyRef(ctx, team),
            escalation_level: i + 1,
            schedule: scheduleRef(ctx, target),
            user: userRef(ctx, person),
            start: isoSeconds(s.start),
            end: isoSeconds(s.end),
            _sort: [team.escalationPolicyId, i + 1, s.start],
          });
        }
      }
    }
    rows.sort(
      (a, b) =>
        compare(a._sort[0], b._sort[0]) ||
        a._sort[1] - b._sort[1] ||
        a._sort[2] - b._sort[2],
    );
    const { slice, meta } = paginate(rows, p);
    return {
      status: 200,
      body: { oncalls: slice.map(({ _sort, ...r }) => r), ...meta },
    };
  }

  const routes: RouteDef[] = [
    {
      method: 'GET',
      path: '/services',
      handler: ctx => {
        const p = page(ctx);
        const q = (ctx.query.get('query') ?? '').toLocaleLowerCase('en-US');
        const teamIds = arrayParam(ctx.query, 'team_ids');
        let list = pdServices();
        if (q)
          list = list.filter(s =>
            s.name.toLocaleLowerCase('en-US').includes(q),
          );
        if (teamIds.length)
          list = list.filter(s => teamIds.includes(store.teamOf(s).pdTeamId));
        const sortBy = ctx.query.get('sort_by') ?? 'name';
        if (!['name', 'name:asc', 'name:desc'].includes(sortBy))
          throw badInput(`sort_by must be name, name:asc or name:desc`);
        list = [...list].sort((a, b) => compare(a.name, b.name));
        if (sortBy === 'name:desc') list.reverse();
        const asOf = store.asOf();
        const include = includes(ctx);
        const { slice, meta } = paginate(list, p);
        return {
          status: 200,
          body: {
            services: slice.map(s => renderService(ctx, s, asOf, include)),
            ...meta,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/services/{id}',
      handler: ctx => ({
        status: 200,
        body: {
          service: renderService(
            ctx,
            serviceOr404(ctx.params.id),
            store.asOf(),
            includes(ctx),
          ),
        },
      }),
    },
    {
      method: 'GET',
      path: '/services/{id}/change_events',
      handler: ctx => listChangeEvents(ctx, [serviceOr404(ctx.params.id)]),
    },
    { method: 'GET', path: '/incidents', handler: listIncidents },
    {
      method: 'GET',
      path: '/incidents/{id}',
      handler: ctx => {
        const asOf = store.asOf();
        const { svc, inc } = visibleIncident(ctx.params.id, asOf);
        return {
          status: 200,
          body: { incident: renderIncident(ctx, svc, inc, asOf) },
        };
      },
    },
    {
      method: 'GET',
      path: '/incidents/{id}/log_entries',
      handler: ctx => {
        const p = page(ctx);
        const found = visibleIncident(ctx.params.id, store.asOf());
        const hasRange = ctx.query.has('since') || ctx.query.has('until');
        const { since, until } = hasRange
          ? range(ctx, store, 30)
          : { since: -Infinity, until: Infinity };
        const rows = logEntriesOf(ctx, [found], since, until);
        const { slice, meta } = paginate(rows, p);
        return {
          status: 200,
          body: {
            log_entries: slice.map(r => renderLogEntry(ctx, r.svc, r.inc, r.e)),
            ...meta,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/log_entries',
      handler: ctx => {
        const p = page(ctx);
        const { since, until } = range(ctx, store, 30, 180);
        const teamIds = arrayParam(ctx.query, 'team_ids');
        const pairs: Array<{ svc: ScenarioService; inc: PdIncident }> = [];
        for (const svc of pdServices()) {
          if (teamIds.length && !teamIds.includes(store.teamOf(svc).pdTeamId))
            continue;
          for (const inc of store.data(svc.index).incidents) {
            if (inc.createdAt < since - DAY || inc.createdAt >= until) continue;
            pairs.push({ svc, inc });
          }
        }
        const rows = logEntriesOf(ctx, pairs, since, until);
        const { slice, meta } = paginate(rows, p);
        return {
          status: 200,
          body: {
            log_entries: slice.map(r => renderLogEntry(ctx, r.svc, r.inc, r.e)),
            ...meta,
          },
        };
      },
    },
    { method: 'GET', path: '/oncalls', handler: oncalls },
    {
      method: 'GET',
      path: '/escalation_policies/{id}',
      handler: ctx => {
        const team = org.teamByPolicy.get(ctx.params.id);
        if (!team) throw notFound();
        return {
          status: 200,
          body: { escalation_policy: renderPolicy(ctx, team) },
        };
      },
    },
    {
      method: 'GET',
      path: '/schedules/{id}',
      handler: ctx => {
        const team = org.teamBySchedule.get(ctx.params.id);
        if (!team) throw notFound();
        const now = store.asOf();
        const hasRange = ctx.query.has('since') || ctx.query.has('until');
        const { since, until } = hasRange
          ? range(ctx, store, 7, 90)
          : { since: now, until: now + 7 * DAY };
        return {
          status: 200,
          body: { schedule: renderSchedule(ctx, team, since, until) },
        };
      },
    },
    {
      method: 'GET',
      path: '/users/{id}',
      handler: ctx => {
        const person = org.personByPdId.get(ctx.params.id);
        if (!person) throw notFound();
        return { status: 200, body: { user: renderUser(ctx, person) } };
      },
    },
    {
      method: 'GET',
      path: '/change_events',
      handler: ctx => listChangeEvents(ctx, selectServices(ctx)),
    },
  ];

  routes.push(...eventsRoutes(store));

  const unauthorized = (ctx: Ctx): Reply =>
    isEventsPath(ctx.path)
      ? eventsError(401, 'unauthorized', 'Unauthorized')
      : pdError(401, 'Unauthorized', 2006);

  return {
    name: 'pagerduty',
    routes,
    authenticate(ctx) {
      // The Events API takes the integration key in the body, not a token.
      if (isEventsPath(ctx.path)) return undefined;
      const cred = credential(ctx.req.headers.authorization);
      if (
        !cred ||
        !['token', 'bearer'].includes(cred.scheme) ||
        cred.value !== opts.token
      ) {
        return unauthorized(ctx);
      }
      return undefined;
    },
    unauthorized,
    serverError(status, ctx) {
      if (isEventsPath(ctx.path))
        return eventsError(status, 'error', 'Internal Server Error');
      return pdError(
        status,
        status === 503 ? 'Service Unavailable' : 'Internal Server Error',
        2000 + status,
      );
    },
    rateLimited(spec: NonNullable<FaultSpec['rateLimit']>, ctx) {
      return {
        ...(isEventsPath(ctx.path)
          ? eventsError(
              spec.status ?? 429,
              'throttle event',
              'Requests for this service are arriving too quickly. Please retry later.',
            )
          : pdError(spec.status ?? 429, 'Rate Limit Exceeded', 2020)),
        headers: {
          'retry-after': String(spec.retryAfterSec ?? 1),
          'ratelimit-limit': opts.perMinute,
          'ratelimit-remaining': 0,
          'ratelimit-reset': spec.retryAfterSec ?? 1,
        },
      };
    },
    notFound: () => pdError(404, 'Not Found', 2100),
    invalidBody: ctx =>
      isEventsPath(ctx.path)
        ? eventsError(
            400,
            'Unrecognized object',
            'Event object format is unrecognized',
            ['JSON parse error'],
          )
        : undefined,
    async around(ctx, run) {
      // The Events API has its own limits (per integration key), not the REST token budget.
      if (isEventsPath(ctx.path)) return run();
      const token = credential(ctx.req.headers.authorization)?.value ?? '';
      const now = Date.now();
      let b = budgets.get(token);
      if (!b || now - b.windowStart >= budgetWindow) {
        b = { windowStart: now, used: 0 };
        budgets.set(token, b);
      }
      const reset = Math.max(
        1,
        Math.ceil((b.windowStart + budgetWindow - now) / 1000),
      );
      if (b.used >= opts.perMinute) {
        return {
          ...pdError(429, 'Rate Limit Exceeded', 2020),
          headers: {
            'ratelimit-limit': opts.perMinute,
            'ratelimit-remaining': 0,
            'ratelimit-reset': reset,
          },
        };
      }
      b.used++;
      const headers = {
        'ratelimit-limit': opts.perMinute,
        'ratelimit-remaining': opts.perMinute - b.used,
        'ratelimit-reset': reset,
      };
      try {
        const reply = await run();
        reply.headers = { ...headers, ...reply.headers };
        return reply;
      } catch (e) {
        if (e instanceof HttpError)
          e.reply.headers = { ...headers, ...e.reply.headers };
        throw e;
      }
    },
    contentType: () => 'application/json; charset=utf-8',
  };
}
