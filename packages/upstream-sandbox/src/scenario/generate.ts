/*
 * Background activity of one service, generated from (seed, service index) alone: commits,
 * pull requests, releases, deployments with statuses, workflow runs, PagerDuty incidents and
 * change events, Grafana dashboards, alert rules and annotations, Kibana rules and log
 * documents. Stories (stories.ts) add their events on top.
 */
import { ScenarioService } from '../types';
import { Rng, hashParts } from '../random';
import { DAY, HOUR, MINUTE, SECOND } from '../time';
import {
  AlertRule,
  Commit,
  Deployment,
  DeploymentStatus,
  LogDoc,
  PdIncident,
  PdLogEntry,
  PullRequest,
  ServiceData,
  emptyServiceData,
} from './model';
import { Org, escalationTargets, onCallAt, ESCALATION_DELAY_MIN } from './org';

export interface GenContext {
  seed: number;
  kind: 'demo' | 'scale' | 'empty';
  /** Story anchor: `now` floored to the second. */
  anchor: number;
  /** Start of the history: anchor - days. */
  from: number;
  eventsPerDay: number;
  org: Org;
  services: ScenarioService[];
  /** Demo: windows per service name in which no background changes or incidents happen. */
  quiet: Map<string, Array<[number, number]>>;
}

/** Allocates ids unique across the whole sandbox: per service and kind. */
export class IdAllocator {
  private counters = new Map<string, number>();

  constructor(private readonly index: number) {}

  next(
    kind:
      | 'deployment'
      | 'status'
      | 'release'
      | 'run'
      | 'pr'
      | 'annotation'
      | 'incident',
  ): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    switch (kind) {
      case 'deployment':
        return 1_000_000_000 + this.index * 100_000 + n;
      case 'status':
        return 2_000_000_000 + this.index * 100_000 + n;
      case 'release':
        return 100_000_000 + this.index * 10_000 + n;
      case 'run':
        return 5_000_000_000 + this.index * 1_000_000 + n;
      case 'pr':
        return 1_500_000_000 + this.index * 100_000 + n;
      case 'annotation':
        return (this.index + 1) * 100_000 + n;
      default:
        return this.index * 10_000 + n;
    }
  }
}

export interface GenState {
  data: ServiceData;
  ids: IdAllocator;
  rng: Rng;
}

const HEX_CHARS =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 20-character document id like Elasticsearch's auto ids. */
export function docId(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 20; i++)
    out += HEX_CHARS[Math.floor(rng.next() * HEX_CHARS.length)];
  return out;
}

/** 'payments-api' -> 'PaymentsAPI' (common acronyms upper-cased). */
export function pascal(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map(w =>
      ['api', 'sdk', 'cli', 'db'].includes(w)
        ? w.toUpperCase()
        : w[0].toUpperCase() + w.slice(1),
    )
    .join('');
}

export function titleCase(name: string): string {
  return name
    .split('-')
    .map(w =>
      ['api', 'sdk', 'cli'].includes(w)
        ? w.toUpperCase()
        : w[0].toUpperCase() + w.slice(1),
    )
    .join(' ');
}

/** The label map of a selector such as 'service=payments-api,env=prod'. */
export function labelsFromSelector(
  selector: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (selector ?? '').split(',')) {
    const m = /^\s*([\w.]+)\s*=~?\s*"?([^"]*)"?\s*$/.exec(part);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** The prefix of an index pattern: 'logs-payments-*' -> 'logs-payments'. */
export function indexPrefix(pattern: string): string {
  return pattern.replace(/[-_.]?\*.*$/, '');
}

function teamOf(ctx: GenContext, svc: ScenarioService) {
  const name = svc.owner.replace(/^group:(default\/)?/, '');
  return ctx.org.teamByName.get(name) ?? ctx.org.teams[0];
}

export function teamForService(ctx: GenContext, svc: ScenarioService) {
  return teamOf(ctx, svc);
}

function inQuiet(ctx: GenContext, svc: ScenarioService, t: number): boolean {
  return (ctx.quiet.get(svc.name) ?? []).some(([a, b]) => t >= a && t <= b);
}

function sec(t: number): number {
  return Math.floor(t / SECOND) * SECOND;
}

const COMMIT_VERBS = [
  'Fix',
  'Add',
  'Refactor',
  'Update',
  'Remove',
  'Improve',
  'Tune',
  'Document',
];
const COMMIT_SUBJECTS = [
  'request validation',
  'retry budget for downstream calls',
  'structured logging fields',
  'metrics for cache hit rate',
  'flaky integration test',
  'dependency versions',
  'graceful shutdown',
  'error messages returned to clients',
  'connection pool settings',
  'feature flag cleanup',
  'OpenAPI description',
  'tracing spans around database calls',
  'README and runbook links',
  'pagination of list endpoints',
  'input sanitisation',
];
const PR_PREFIXES = ['feat', 'fix', 'chore', 'refactor', 'perf'];
const INFO_MESSAGES = [
  'request completed',
  'cache refreshed',
  'health check ok',
  'message processed',
  'scheduled job finished',
];
const WARN_MESSAGES = [
  'slow request',
  'retrying downstream call',
  'client sent invalid input',
  'rate limit close to budget',
];
const ERROR_MESSAGES = [
  'unhandled exception while processing request',
  'downstream call failed',
  'database query timed out',
];
const HTTP_PATHS = [
  '/v1/items',
  '/v1/health',
  '/v1/orders',
  '/v1/search',
  '/v1/status',
];
const LOW_URGENCY_TITLES = [
  'High p95 latency',
  'Elevated 5xx rate',
  'Disk usage above 80%',
  'Consumer lag growing',
  'Certificate expires in 14 days',
];

/** Grafana dashboard uids of a service (computable without generating its data). */
export function dashboardUids(
  seed: number,
  svc: ScenarioService,
): [string, string] {
  const base = hashParts(seed, 'dashboard', svc.name)
    .toString(36)
    .padStart(7, '0');
  return [`${base}-ovw`, `${base}-slo`];
}

/** Grafana alert rule uids of a service: [high error rate, high latency]. */
export function alertRuleUids(
  seed: number,
  svc: ScenarioService,
): [string, string] {
  const base = hashParts(seed, 'alert-rule', svc.name)
    .toString(36)
    .padStart(7, '0');
  return [
    `${base}e${svc.index.toString(36)}`,
    `${base}l${svc.index.toString(36)}`,
  ];
}

/** Kibana rule id of a service (a UUID-shaped string). */
export function kibanaRuleId(seed: number, svc: ScenarioService): string {
  const h = [0, 1, 2, 3]
    .map(i =>
      hashParts(seed, 'kibana-rule', svc.name, i).toString(16).padStart(8, '0'),
    )
    .join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

/** Static resources every scenario has: dashboards, alert rules, Kibana rules. */
function generateStatic(
  ctx: GenContext,
  svc: ScenarioService,
  st: GenState,
): void {
  const { data } = st;
  const team = teamOf(ctx, svc);
  if (svc.grafanaTag) {
    const [ovw, slo] = dashboardUids(ctx.seed, svc);
    const folderUid = `f-${team.name}`;
    data.dashboards.push(
      {
        uid: ovw,
        id: svc.index * 10 + 1,
        title: `${titleCase(svc.name)} overview`,
        tags: [svc.grafanaTag, team.name, 'service'],
        folderUid,
        folderTitle: team.displayName,
        folderId: 1000 + ctx.org.teams.indexOf(team),
      },
      {
        uid: slo,
        id: svc.index * 10 + 2,
        title: `${titleCase(svc.name)} SLOs`,
        tags: [svc.grafanaTag, 'slo'],
        folderUid,
        folderTitle: team.displayName,
        folderId: 1000 + ctx.org.teams.indexOf(team),
      },
    );
  }
  if (svc.alertLabelSelector) {
    const labels = labelsFromSelector(svc.alertLabelSelector);
    const dashboardUid = data.dashboards[0]?.uid ?? '';
    const pas = pascal(svc.name);
    const uids = alertRuleUids(ctx.seed, svc);
    const make = (
      suffix: string,
      severity: string,
      expr: string,
      summary: string,
    ): AlertRule => ({
      uid: suffix === 'HighErrorRate' ? uids[0] : uids[1],
      id: svc.index * 10 + (suffix === 'HighErrorRate' ? 1 : 2),
      title: `${pas}${suffix}`,
      labels: { ...labels, severity, team: team.name },
      annotations: {
        summary,
        runbook_url: `https://runbooks.acme.example/${svc.name}/${suffix}`,
        __dashboardUid__: dashboardUid,
        __panelId__: suffix === 'HighErrorRate' ? '2' : '3',
      },
      folderUid: `f-${team.name}`,
      ruleGroup: svc.name,
      dashboardUid,
      forDuration: suffix === 'HighErrorRate' ? '2m' : '5m',
      expr,
    });
    data.alertRules.push(
      make(
        'HighErrorRate',
        'critical',
        `sum(rate(http_requests_total{service="${svc.name}",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="${svc.name}"}[5m])) > 0.05`,
        `More than 5% of ${svc.name} requests fail`,
      ),
      make(
        'HighLatency',
        'warning',
        `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="${svc.name}"}[5m]))) > 0.5`,
        `p95 latency of ${svc.name} above 500 ms`,
      ),
    );
  }
  if (svc.esIndexPattern) {
    data.kibanaRules.push({
      id: kibanaRuleId(ctx.seed, svc),
      name: `${svc.name} error logs`,
      tags: [`service:${svc.name}`, 'dash'],
      query:
        svc.kibanaLogQuery ?? `service.name:"${svc.name}" AND log.level:error`,
      index: svc.esIndexPattern,
      intervalMinutes: ctx.kind === 'scale' ? 60 : 5,
      createdAt: ctx.from - 30 * DAY,
    });
  }
}

export function newCommit(
  st: GenState,
  at: number,
  message: string,
  author: string,
): Commit {
  const prev = st.data.commits[st.data.commits.length - 1];
  const c: Commit = {
    sha: st.rng.hex(40),
    treeSha: st.rng.hex(40),
    message,
    author,
    at: at,
    parentSha: prev?.sha,
  };
  st.data.commits.push(c);
  return c;
}

export function newPull(
  st: GenState,
  opts: {
    title: string;
    body?: string;
    author: string;
    createdAt: number;
    mergedAt?: number;
    closedAt?: number;
    mergeCommit?: Commit;
    headRef?: string;
    labels?: string[];
  },
): PullRequest {
  const num = st.ids.next('pr');
  const pr: PullRequest = {
    number: 0, // numbered in time order by finalize()
    id: num,
    title: opts.title,
    body: opts.body ?? `${opts.title}.\n\nTested locally and in staging.`,
    author: opts.author,
    createdAt: opts.createdAt,
    updatedAt: opts.mergedAt ?? opts.closedAt ?? opts.createdAt,
    closedAt: opts.mergedAt ?? opts.closedAt,
    mergedAt: opts.mergedAt,
    mergeCommitSha: opts.mergeCommit?.sha ?? st.rng.hex(40),
    headRef:
      opts.headRef ??
      `${st.rng.pick(PR_PREFIXES)}/${opts.title
        .toLocaleLowerCase('en-US')
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 30)}`,
    headSha: st.rng.hex(40),
    baseRef: 'main',
    labels: opts.labels ?? [],
  };
  if (opts.mergeCommit) opts.mergeCommit.pr = pr.id;
  st.data.pulls.push(pr);
  return pr;
}

export function newDeployment(
  st: GenState,
  opts: {
    at: number;
    sha: string;
    ref: string;
    environment: string;
    creator: string;
    description: string;
    outcome?: 'success' | 'failure';
    durationMs?: number;
    task?: string;
  },
): Deployment {
  const at = opts.at;
  const duration = opts.durationMs ?? 3 * MINUTE;
  const statuses: DeploymentStatus[] = [
    {
      id: st.ids.next('status'),
      state: 'queued',
      at,
      description: 'Deployment queued',
    },
    {
      id: st.ids.next('status'),
      state: 'in_progress',
      at: at + 20 * SECOND,
      description: 'Rolling out',
    },
    {
      id: st.ids.next('status'),
      state: opts.outcome ?? 'success',
      at: at + duration,
      description:
        (opts.outcome ?? 'success') === 'success'
          ? 'Deployment finished'
          : 'Rollout failed',
    },
  ];
  const d: Deployment = {
    id: st.ids.next('deployment'),
    sha: opts.sha,
    ref: opts.ref,
    environment: opts.environment,
    task: opts.task ?? 'deploy',
    description: opts.description,
    creator: opts.creator,
    at,
    statuses,
  };
  st.data.deployments.push(d);
  return d;
}

export function newRun(
  st: GenState,
  opts: {
    workflow: 'CI' | 'Deploy' | 'Release';
    at: number;
    sha: string;
    branch: string;
    event: string;
    title: string;
    actor: string;
    durationMs: number;
    conclusion?: 'success' | 'failure' | 'cancelled';
    runNumber: number;
  },
): void {
  const wf = {
    CI: [1, 'ci.yml'],
    Deploy: [2, 'deploy.yml'],
    Release: [3, 'release.yml'],
  }[opts.workflow] as [number, string];
  st.data.runs.push({
    id: st.ids.next('run'),
    workflowId: st.data.repoId * 10 + wf[0],
    workflowName: opts.workflow,
    path: `.github/workflows/${wf[1]}`,
    runNumber: opts.runNumber,
    event: opts.event,
    status: 'completed',
    conclusion: opts.conclusion ?? 'success',
    headBranch: opts.branch,
    headSha: opts.sha,
    displayTitle: opts.title,
    actor: opts.actor,
    at: opts.at,
    updatedAt: opts.at + opts.durationMs,
  });
}

/** A PagerDuty change event on the service. */
export function newChangeEvent(
  st: GenState,
  opts: {
    at: number;
    summary: string;
    source: string;
    details: Record<string, string | number>;
    link?: string;
  },
): string {
  const id = `01${st.rng.alnum(24)}`;
  st.data.changeEvents.push({
    id,
    summary: opts.summary,
    at: opts.at,
    source: opts.source,
    customDetails: opts.details,
    links: opts.link ? [{ href: opts.link, text: 'View in deployctl' }] : [],
  });
  return id;
}

export function newAnnotation(
  st: GenState,
  opts: {
    at: number;
    timeEnd?: number;
    tags: string[];
    text: string;
    dashboardUid?: string;
    dashboardId?: number;
    panelId?: number;
    login?: string;
    alert?: {
      rule: AlertRule;
      newState: 'Alerting' | 'Pending' | 'Normal';
      prevState: 'Alerting' | 'Pending' | 'Normal';
    };
  },
): number {
  const id = st.ids.next('annotation');
  st.data.annotations.push({
    id,
    at: opts.at,
    timeEnd: opts.timeEnd ?? opts.at,
    tags: opts.tags,
    text: opts.text,
    dashboardUid: opts.dashboardUid,
    dashboardId: opts.dashboardId,
    panelId: opts.panelId,
    login: opts.login,
    alert: opts.alert
      ? {
          ruleUid: opts.alert.rule.uid,
          alertId: opts.alert.rule.id,
          alertName: opts.alert.rule.title,
          newState: opts.alert.newState,
          prevState: opts.alert.prevState,
        }
      : undefined,
  });
  return id;
}

/** Records an alert rule firing: Normal->Pending->Alerting(->Normal) annotations and a window. */
export function fireAlert(
  st: GenState,
  rule: AlertRule,
  opts: {
    pendingAt: number;
    firingAt: number;
    resolvedAt?: number;
    value: string;
  },
): void {
  const dash = st.data.dashboards.find(d => d.uid === rule.dashboardUid);
  const common = {
    tags: [] as string[],
    dashboardUid: rule.dashboardUid || undefined,
    dashboardId: dash?.id,
    panelId: Number(rule.annotations.__panelId__ ?? 1),
  };
  newAnnotation(st, {
    ...common,
    at: opts.pendingAt,
    text: `${rule.title}: ${rule.annotations.summary}`,
    alert: { rule, prevState: 'Normal', newState: 'Pending' },
  });
  newAnnotation(st, {
    ...common,
    at: opts.firingAt,
    text: `${rule.title}: ${rule.annotations.summary} (value ${opts.value})`,
    alert: { rule, prevState: 'Pending', newState: 'Alerting' },
  });
  if (opts.resolvedAt !== undefined) {
    newAnnotation(st, {
      ...common,
      at: opts.resolvedAt,
      text: `${rule.title}: resolved`,
      alert: { rule, prevState: 'Alerting', newState: 'Normal' },
    });
  }
  st.data.alertWindows.push({
    ruleUid: rule.uid,
    pendingAt: opts.pendingAt,
    firingAt: opts.firingAt,
    resolvedAt: opts.resolvedAt === undefined ? undefined : opts.resolvedAt,
    value: opts.value,
  });
}

/**
 * Adds error log documents between from and to: perMinute on average, or exactly `count`
 * documents spread evenly (for short live replays).
 */
export function addErrorSpike(
  st: GenState,
  opts: {
    from: number;
    to: number;
    perMinute?: number;
    count?: number;
    messages: string[];
    status?: number;
  },
): void {
  const rng = st.rng;
  const push = (t: number) =>
    st.data.logs.push({
      id: docId(rng),
      at: Math.floor(t),
      level: 'error',
      message: rng.pick(opts.messages),
      status: opts.status ?? rng.pick([500, 502, 503, 504]),
      traceId: rng.hex(32),
      path: rng.pick(HTTP_PATHS),
      durationMs: rng.int(800, 30000),
    });
  if (opts.count !== undefined) {
    const span = Math.max(1, opts.to - opts.from);
    for (let i = 0; i < opts.count; i++)
      push(opts.from + (span * i) / opts.count);
  } else {
    const mean = MINUTE / (opts.perMinute ?? 10);
    // Bounded by the window length.
    for (let t = opts.from; t < opts.to; t += rng.exp(mean)) push(t);
  }
  st.data.spikes.push({ from: opts.from, to: opts.to });
}

/** Builds a PagerDuty incident from its milestones, with log entries in time order. */
export function newIncident(
  ctx: GenContext,
  st: GenState,
  svc: ScenarioService,
  opts: {
    id?: string;
    title: string;
    urgency: 'high' | 'low';
    triggeredAt: number;
    acknowledgedAt?: number;
    acknowledgedBy?: string;
    escalatedAt?: number;
    escalatedBy?: string;
    resolvedAt?: number;
    resolvedBy?: string;
    note?: string;
    description?: string;
  },
): PdIncident {
  const rng = st.rng;
  const team = teamOf(ctx, svc);
  const levels = escalationTargets(ctx.org, team);
  const primary =
    onCallAt(levels[0], ctx.seed, opts.triggeredAt) ?? ctx.org.persons[0]?.name;
  const log: PdLogEntry[] = [];
  const entryId = () => `R${rng.alnum(13)}`;
  const t0 = opts.triggeredAt;
  log.push({
    id: entryId(),
    type: 'trigger_log_entry',
    at: t0,
    channel: 'api',
    summary: 'Triggered through the API.',
  });
  log.push({
    id: entryId(),
    type: 'assign_log_entry',
    at: t0,
    user: primary,
    channel: 'auto',
    summary: `Assigned to ${displayName(ctx, primary)}.`,
  });
  log.push({
    id: entryId(),
    type: 'notify_log_entry',
    at: t0 + SECOND,
    user: primary,
    channel: 'auto',
    summary: `Notified ${displayName(ctx, primary)} by SMS.`,
  });
  const ackBy = opts.acknowledgedBy ?? primary;
  if (opts.acknowledgedAt !== undefined) {
    log.push({
      id: entryId(),
      type: 'acknowledge_log_entry',
      at: opts.acknowledgedAt,
      agent: ackBy,
      channel: 'website',
      summary: `Acknowledged by ${displayName(ctx, ackBy)}.`,
    });
  }
  if (opts.escalatedAt !== undefined && levels[1]) {
    const second = onCallAt(levels[1], ctx.seed, opts.escalatedAt) ?? primary;
    log.push({
      id: entryId(),
      type: 'escalate_log_entry',
      at: opts.escalatedAt,
      agent: opts.escalatedBy,
      user: second,
      level: 2,
      channel: opts.escalatedBy ? 'website' : 'timeout',
      summary: opts.escalatedBy
        ? `Escalated to level 2 by ${displayName(ctx, opts.escalatedBy)}.`
        : `Escalated to level 2 after ${ESCALATION_DELAY_MIN} minutes.`,
    });
    log.push({
      id: entryId(),
      type: 'notify_log_entry',
      at: opts.escalatedAt + SECOND,
      user: second,
      channel: 'auto',
      summary: `Notified ${displayName(ctx, second)} by phone.`,
    });
  }
  if (opts.note && opts.resolvedAt !== undefined) {
    log.push({
      id: entryId(),
      type: 'annotate_log_entry',
      at: opts.resolvedAt - 30 * SECOND,
      agent: opts.resolvedBy ?? ackBy,
      channel: 'note',
      note: opts.note,
      summary: `${displayName(ctx, opts.resolvedBy ?? ackBy)} added a note: ${
        opts.note
      }`,
    });
  }
  if (opts.resolvedAt !== undefined) {
    const by = opts.resolvedBy;
    log.push({
      id: entryId(),
      type: 'resolve_log_entry',
      at: opts.resolvedAt,
      agent: by,
      channel: by ? 'website' : 'api',
      summary: by
        ? `Resolved by ${displayName(ctx, by)}.`
        : 'Resolved through the API.',
    });
  }
  log.sort((a, b) => a.at - b.at);
  const incident: PdIncident = {
    id: opts.id ?? incidentId(svc.index, rng),
    number: 0, // numbered in time order by finalize()
    title: opts.title,
    urgency: opts.urgency,
    key: rng.hex(32),
    createdAt: t0,
    log,
    description: opts.description ?? opts.title,
  };
  st.data.incidents.push(incident);
  return incident;
}

/** Background incident ids carry the service index (chars 1-4, base 36) so they can be found lazily. */
export function incidentId(index: number, rng: Rng): string {
  return `Q${index.toString(36).toUpperCase().padStart(4, '0')}${rng.alnum(9)}`;
}

export function serviceIndexOfIncidentId(id: string): number | undefined {
  const m = /^Q([0-9A-Z]{4})[0-9A-Z]{9}$/.exec(id);
  return m ? parseInt(m[1], 36) : undefined;
}

function displayName(ctx: GenContext, name: string | undefined): string {
  if (!name) return 'the service';
  return ctx.org.personByName.get(name)?.displayName ?? name;
}

/** Rates of background activity per service kind. */
interface Rates {
  commitsPerDay: number;
  prShare: number;
  releaseEveryDays: number;
  deploys: boolean;
  ci: boolean;
  prs: boolean;
  incidentsPerDay: number;
  configChangesPerDay: number;
  logsPerDayRecent: number;
  logsPerDayOld: number;
  workHours: boolean;
}

function ratesFor(ctx: GenContext, svc: ScenarioService): Rates {
  const isRunnable = svc.type === 'service' || svc.type === 'website';
  if (ctx.kind === 'scale') {
    const e = ctx.eventsPerDay;
    return {
      commitsPerDay: e * 0.5,
      prShare: 0.4,
      releaseEveryDays: 1 / Math.max(0.01, e * 0.05),
      deploys: true,
      ci: true,
      prs: true,
      incidentsPerDay: e * 0.1,
      configChangesPerDay: e * 0.3,
      logsPerDayRecent: e,
      logsPerDayOld: e,
      workHours: false,
    };
  }
  const quietLibrary = svc.name === 'go-telemetry';
  let commitsPerDay = 1.5;
  if (isRunnable) commitsPerDay = 4;
  else if (quietLibrary) commitsPerDay = 1;
  return {
    commitsPerDay,
    prShare: quietLibrary ? 0 : 0.6,
    releaseEveryDays: isRunnable ? 2.5 : 4,
    deploys: isRunnable,
    ci: !quietLibrary,
    prs: !quietLibrary,
    incidentsPerDay: svc.pagerdutyServiceId ? 0.2 : 0,
    configChangesPerDay: svc.pagerdutyServiceId ? 0.15 : 0,
    logsPerDayRecent: 1440,
    logsPerDayOld: 144,
    workHours: true,
  };
}

/** Poisson-ish event times in [from, to) with the given rate per day. */
function times(
  rng: Rng,
  from: number,
  to: number,
  perDay: number,
  workHours: boolean,
): number[] {
  const out: number[] = [];
  if (perDay <= 0) return out;
  const mean = DAY / perDay;
  let t = from + rng.exp(mean);
  for (let guard = 0; t < to && guard < 1_000_000; guard++) {
    if (!workHours) {
      out.push(sec(t));
    } else {
      const d = new Date(t);
      const hour = d.getUTCHours();
      const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
      if (hour >= 7 && hour < 19 && (!weekend || rng.chance(0.15)))
        out.push(sec(t));
    }
    t += rng.exp(workHours ? mean / 2.2 : mean);
  }
  return out;
}

function semver(i: number, base: [number, number, number]): string {
  const minor = base[1] + Math.floor(i / 4);
  const patch = i % 4;
  return `v${base[0]}.${minor}.${patch}`;
}

/** Generates one service's static resources and background activity. */
/** The repository's numeric id and creation time: cheap, without generating the service's data. */
export function repoInfo(
  ctx: GenContext,
  svc: ScenarioService,
): { repoId: number; repoCreatedAt: number } {
  const repoRng = new Rng(ctx.seed, 'repo', svc.index);
  return {
    repoId:
      (ctx.kind === 'scale' ? 600_000_000 : 500_000_000) +
      svc.index * 97 +
      repoRng.int(0, 96),
    repoCreatedAt: sec(ctx.from - repoRng.int(120, 900) * DAY),
  };
}

export function generateService(
  ctx: GenContext,
  svc: ScenarioService,
): { data: ServiceData; st: GenState } {
  const info = repoInfo(ctx, svc);
  const data = emptyServiceData(info.repoId, info.repoCreatedAt);
  const st: GenState = {
    data,
    ids: new IdAllocator(svc.index),
    rng: new Rng(ctx.seed, 'svc', svc.index),
  };
  generateStatic(ctx, svc, st);
  if (ctx.kind === 'empty') return { data, st };

  const rates = ratesFor(ctx, svc);
  const rng = st.rng;
  const team = teamOf(ctx, svc);
  const authors = team.members.length
    ? team.members
    : ctx.org.persons.map(p => p.name).slice(0, 3);
  const quiet = (t: number) => inQuiet(ctx, svc, t);

  // GitHub: commits, some merged through pull requests, CI runs.
  let ciNumber = 100 + rng.int(0, 500);
  if (svc.githubSlug) {
    const commitTimes = times(
      rng,
      ctx.from,
      ctx.anchor - 10 * MINUTE,
      rates.commitsPerDay,
      rates.workHours,
    ).filter(t => !quiet(t));
    for (const t of commitTimes) {
      const author = rng.pick(authors);
      const subject = `${rng.pick(COMMIT_VERBS)} ${rng.pick(COMMIT_SUBJECTS)}`;
      const c = newCommit(st, t, subject, author);
      if (rates.prs && rng.chance(rates.prShare)) {
        newPull(st, {
          title: subject,
          author,
          createdAt: t - rng.int(1, 72) * HOUR,
          mergedAt: t,
          mergeCommit: c,
        });
      }
      if (rates.ci) {
        newRun(st, {
          workflow: 'CI',
          at: t + 20 * SECOND,
          sha: c.sha,
          branch: 'main',
          event: 'push',
          title: c.message,
          actor: author,
          durationMs: rng.int(4, 9) * MINUTE,
          conclusion: rng.chance(0.06) ? 'failure' : 'success',
          runNumber: ciNumber++,
        });
      }
    }
    if (rates.prs) {
      // A few open and closed-unmerged pull requests in the last days.
      const openCount = ctx.kind === 'scale' ? 1 : rng.int(1, 3);
      for (let i = 0; i < openCount; i++) {
        const created = ctx.anchor - rng.int(2, 96) * HOUR;
        if (quiet(created)) continue;
        newPull(st, {
          title: `${rng.pick(COMMIT_VERBS)} ${rng.pick(COMMIT_SUBJECTS)}`,
          author: rng.pick(authors),
          createdAt: created,
        });
      }
      if (rng.chance(0.5)) {
        const created = ctx.from + rng.int(1, 48) * HOUR;
        newPull(st, {
          title: `Spike: ${rng.pick(COMMIT_SUBJECTS)}`,
          author: rng.pick(authors),
          createdAt: created,
          closedAt: created + rng.int(1, 48) * HOUR,
        });
      }
    }

    // Releases, and for runnable services deployments to staging then production.
    const demoBases: Record<string, [number, number, number]> = {
      'payments-api': [2, 12, 0],
      'checkout-api': [3, 6, 0],
      'go-telemetry': [1, 9, 0],
    };
    const base: [number, number, number] = (ctx.kind === 'demo' &&
      demoBases[svc.name]) || [1 + (svc.index % 3), 2 + rng.int(0, 8), 0];
    let releaseNo = 0;
    let deployNumber = 10 + rng.int(0, 100);
    const releaseTimes = times(
      rng,
      ctx.from,
      ctx.anchor - 2 * HOUR,
      1 / rates.releaseEveryDays,
      rates.workHours,
    );
    for (const t of releaseTimes) {
      if (quiet(t) || quiet(t + 2 * HOUR)) continue;
      const target = [...data.commits].reverse().find(c => c.at <= t);
      if (!target) continue;
      const tag = semver(releaseNo++, base);
      const releaser = rng.pick(authors);
      data.releases.push({
        id: st.ids.next('release'),
        tag,
        name: tag,
        body: `## Changes\n\n- ${target.message}\n`,
        author: releaser,
        at: t,
        targetSha: target.sha,
        prerelease: false,
      });
      if (!rates.deploys) continue;
      for (const [env, delay] of [
        ['staging', 5 * MINUTE],
        ['production', rng.int(30, 90) * MINUTE],
      ] as Array<[string, number]>) {
        const at = t + delay;
        const d = newDeployment(st, {
          at,
          sha: target.sha,
          ref: tag,
          environment: env,
          creator: releaser,
          description: `Deploy ${tag} to ${env}`,
          durationMs: rng.int(2, 6) * MINUTE,
        });
        newRun(st, {
          workflow: 'Deploy',
          at,
          sha: target.sha,
          branch: tag,
          event: 'workflow_dispatch',
          title: `Deploy ${tag} to ${env}`,
          actor: releaser,
          durationMs: rng.int(2, 6) * MINUTE,
          runNumber: deployNumber++,
        });
        if (env === 'production') {
          if (svc.pagerdutyServiceId) {
            newChangeEvent(st, {
              at: at + 4 * MINUTE,
              summary: `Deployed ${svc.name} ${tag} to production`,
              source: 'deployctl',
              details: {
                version: tag,
                environment: env,
                deployment_id: d.id,
                actor: releaser,
              },
              link: `https://deployctl.acme.example/deployments/${d.id}`,
            });
          }
          if (svc.grafanaTag) {
            newAnnotation(st, {
              at,
              timeEnd: at + 4 * MINUTE,
              tags: ['deploy', svc.grafanaTag, env],
              text: `Deploy ${svc.name} ${tag} to ${env}`,
              login: ctx.org.personByName.get(releaser)?.login,
            });
          }
        }
      }
    }
  }

  // PagerDuty: configuration change events (feature flags, config).
  if (svc.pagerdutyServiceId) {
    for (const t of times(
      rng,
      ctx.from,
      ctx.anchor - HOUR,
      rates.configChangesPerDay,
      rates.workHours,
    )) {
      if (quiet(t)) continue;
      const flag = rng.pick([
        'new-checkout-flow',
        'async-capture',
        'cache-v2',
        'strict-validation',
      ]);
      const on = rng.chance(0.5);
      newChangeEvent(st, {
        at: t,
        summary: `Feature flag ${flag} turned ${on ? 'on' : 'off'}`,
        source: 'flagd',
        details: { flag, value: on ? 'on' : 'off', actor: rng.pick(authors) },
      });
    }
  }

  // Low-urgency background incidents, each with a latency alert and a small error blip.
  if (svc.pagerdutyServiceId) {
    const latencyRule = data.alertRules.find(r =>
      r.title.endsWith('HighLatency'),
    );
    for (const t of times(
      rng,
      ctx.from,
      ctx.anchor - 2 * HOUR,
      rates.incidentsPerDay,
      false,
    )) {
      if (quiet(t) || quiet(t + 2 * HOUR)) continue;
      const duration = rng.int(10, 90) * MINUTE;
      const acked = rng.chance(0.8);
      const title = `${rng.pick(LOW_URGENCY_TITLES)} on ${svc.name}`;
      newIncident(ctx, st, svc, {
        title,
        urgency: 'low',
        triggeredAt: t,
        acknowledgedAt: acked ? t + rng.int(2, 15) * MINUTE : undefined,
        resolvedAt: t + duration,
        resolvedBy:
          acked && rng.chance(0.5) ? onCallAt(team, ctx.seed, t) : undefined,
      });
      if (latencyRule) {
        fireAlert(st, latencyRule, {
          pendingAt: t - 5 * MINUTE,
          firingAt: t,
          resolvedAt: t + duration - MINUTE,
          value: `${(0.5 + rng.next()).toFixed(2)}`,
        });
      }
      if (svc.esIndexPattern) {
        addErrorSpike(st, {
          from: t - 4 * MINUTE,
          to: t + Math.min(duration, 15 * MINUTE),
          perMinute: ctx.kind === 'scale' ? 0.5 : 3,
          messages: [
            'downstream call failed',
            'request timed out after 5000ms',
          ],
          status: 504,
        });
      }
    }
  }

  // Elasticsearch: normal log volume (denser in the last day).
  if (svc.esIndexPattern) {
    const recentFrom = Math.max(ctx.from, ctx.anchor - DAY);
    const addLogs = (from: number, to: number, perDay: number) => {
      if (perDay <= 0) return;
      const mean = DAY / perDay;
      let t = from + rng.exp(mean);
      for (let guard = 0; t < to && guard < 2_000_000; guard++) {
        const r = rng.next();
        let level: LogDoc['level'] = 'error';
        let message = rng.pick(ERROR_MESSAGES);
        let status = 500;
        if (r < 0.94) {
          level = 'info';
          message = rng.pick(INFO_MESSAGES);
          status = rng.pick([200, 200, 200, 201, 204]);
        } else if (r < 0.985) {
          level = 'warn';
          message = rng.pick(WARN_MESSAGES);
          status = rng.pick([400, 404, 429]);
        }
        data.logs.push({
          id: docId(rng),
          at: Math.floor(t),
          level,
          message,
          status,
          traceId: rng.hex(32),
          path: rng.pick(HTTP_PATHS),
          durationMs: level === 'info' ? rng.int(3, 180) : rng.int(100, 2000),
        });
        t += rng.exp(mean);
      }
    };
    addLogs(ctx.from, recentFrom, rates.logsPerDayOld);
    addLogs(recentFrom, ctx.anchor, rates.logsPerDayRecent);
  }
  return { data, st };
}

export { displayName as personDisplayName };
