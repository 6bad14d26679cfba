/*
 * Background activity of one service, generated from (seed, service index) alone: commits,
 * pull requests, releases, deployments with statuses, workflow runs, PagerDuty incidents and
 * change events, Grafana dashboards, alert rules and annotations, Kibana rules and log
 * documents. It is laid out on a grid of UTC days, so that two histories that overlap (two
 * starts of the sandbox) hold the same objects, with the same ids and times, where they overlap.
 * Stories (stories.ts) add their events on top.
 */
import { ScenarioService } from '../types';
import { Rng, hashParts } from '../random';
import { DAY, HOUR, MINUTE, SECOND, lowerBound } from '../time';
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
  StaticData,
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

/*
 * Ids. Every id is a function of the seed and of what the object is, never of the order in
 * which the generator happened to reach it, so that a restart (another `now`) gives the
 * objects both windows contain the same ids:
 *   - background objects are generated per service, kind and slot on an absolute grid (slot =
 *     floor(t / DAY), or for rare kinds floor(t / period), see slotEvents()); the object i of a
 *     slot draws from Rng(seed, kind, service, slot, i) and its numeric ids are composed from
 *     (service, BACKGROUND, slot, a range per kind + i);
 *   - story objects take theirs from (service, STORY, story number, step), live replays from
 *     (service, LIVE, replay number, step), whatever time the story is anchored to.
 */

/** The id spaces of composed numeric ids. */
export const SPACE_BACKGROUND = 0;
export const SPACE_STORY = 1;
export const SPACE_LIVE = 2;
const SLOTS = 100_000;
/** Numeric ids per (service, space, slot) and kind: the index within a slot is below this. */
export const IDS_PER_SLOT = 10_000;

function posMod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

/**
 * A numeric id unique per kind across the sandbox: GitHub deployment, status, release, run and
 * pull request ids, Grafana annotation ids. At most 3e13, well inside the safe integers.
 */
export function composeId(
  index: number,
  space: number,
  slot: number,
  i: number,
): number {
  return ((index * 3 + space) * SLOTS + posMod(slot, SLOTS)) * IDS_PER_SLOT + i;
}

/** The first UTC day the display numbers count from (2020-01-01). */
const EPOCH_DAY = Math.floor(Date.UTC(2020, 0, 1) / DAY);

/**
 * A small per-repository number that grows with time (pull request and workflow run numbers):
 * 10,000 + days since 2020-01-01 × perDay + k, for the k-th object (k < perDay) of a day.
 * Story objects use fixed numbers below 10,000.
 */
export function dayNumber(day: number, perDay: number, k: number): number {
  return 10_000 + posMod(day - EPOCH_DAY, SLOTS) * perDay + k;
}

/** Background incidents per service and day that get a number (and so exist). */
export const INCIDENTS_PER_DAY = 20;

/** The most services a scenario may have ('scale'). */
export const MAX_SCALE_SERVICES = 10_000;

/**
 * A background incident's number, unique across the account: 100,000 + (days since 2020-01-01 ×
 * width + service index) × 20 + k, for the k-th incident of the service that day. `width` is
 * above every service index and depends on the scenario kind only (a scale service's data does
 * not depend on how many services there are). Story incidents use fixed numbers below 100,000.
 */
export function incidentNumber(
  ctx: GenContext,
  day: number,
  index: number,
  k: number,
): number {
  const width =
    ctx.kind === 'scale' || ctx.services.length > 1000
      ? MAX_SCALE_SERVICES
      : 1000;
  return (
    100_000 +
    (posMod(day - EPOCH_DAY, SLOTS) * width + index) * INCIDENTS_PER_DAY +
    k
  );
}

export type IdKind =
  | 'deployment'
  | 'status'
  | 'release'
  | 'run'
  | 'pr'
  | 'annotation';

/**
 * Numeric ids of one scope (a background object, or a story step): the n-th id of a kind asked
 * for is composeId(index, space, slot, base + n).
 */
export class IdAllocator {
  private counters = new Map<IdKind, number>();

  constructor(
    private readonly index: number,
    private readonly space: number = SPACE_BACKGROUND,
    private readonly slot: number = 0,
    private readonly base: number = 0,
  ) {}

  next(kind: IdKind): number {
    const n = this.counters.get(kind) ?? 0;
    this.counters.set(kind, n + 1);
    return composeId(this.index, this.space, this.slot, this.base + n);
  }
}

/**
 * A service's data being generated, and the scope of the object being built: the helpers below
 * take their numeric ids from `ids` and every random choice from `rng`, which the caller sets per
 * background object or story step (see scope()).
 */
export interface GenState {
  data: ServiceData;
  ids: IdAllocator;
  rng: Rng;
}

/** Sets the scope the next objects take their ids and random choices from. */
export function scope(st: GenState, ids: IdAllocator, rng: Rng): GenState {
  st.ids = ids;
  st.rng = rng;
  return st;
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

/** Whether `t` falls in one of the service's story quiet windows (GenContext.quiet). */
export function inQuiet(
  ctx: GenContext,
  svc: ScenarioService,
  t: number,
): boolean {
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

/** The tags of a service's Kibana rule. */
export function kibanaRuleTags(svc: ScenarioService): string[] {
  return [`service:${svc.name}`, 'dash'];
}

/**
 * A service's static resources (dashboards, alert rules, Kibana rules) as generateService makes
 * them, without its history: cheap, for the lists that span every service.
 */
export function generateStaticData(
  ctx: GenContext,
  svc: ScenarioService,
): StaticData {
  const data = emptyServiceData(0, 0);
  generateStatic(ctx, svc, data);
  return {
    dashboards: data.dashboards,
    alertRules: data.alertRules,
    kibanaRules: data.kibanaRules,
  };
}

/** Static resources every scenario has: dashboards, alert rules, Kibana rules. */
function generateStatic(
  ctx: GenContext,
  svc: ScenarioService,
  data: ServiceData,
): void {
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
      tags: kibanaRuleTags(svc),
      query:
        svc.kibanaLogQuery ?? `service.name:"${svc.name}" AND log.level:error`,
      index: svc.esIndexPattern,
      intervalMinutes: ctx.kind === 'scale' ? 60 : 5,
      createdAt: setupTime(ctx.from),
    });
  }
}

export function newCommit(
  st: GenState,
  at: number,
  message: string,
  author: string,
): Commit {
  const c: Commit = {
    sha: st.rng.hex(40),
    treeSha: st.rng.hex(40),
    message,
    author,
    at: at,
    // The parent is the commit before in time, set by sortServiceData().
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
    /** The pull request number in its repository. */
    number: number;
  },
): PullRequest {
  const pr: PullRequest = {
    number: opts.number,
    id: st.ids.next('pr'),
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
    number: number;
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
    number: opts.number,
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
  /** Mean days between releases; 0: no background releases. */
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
  let releaseEveryDays = 4;
  if (isRunnable) releaseEveryDays = 2.5;
  // The quiet library's releases are its story's (stories.ts), at fixed steps.
  else if (quietLibrary && ctx.kind === 'demo') releaseEveryDays = 0;
  return {
    commitsPerDay,
    prShare: quietLibrary ? 0 : 0.6,
    releaseEveryDays,
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

/*
 * Caps per service and UTC day (objects past them are not generated) and the ranges of the index
 * within a day slot (below IDS_PER_SLOT) that each kind of background object composes its
 * numeric ids from.
 */
const COMMITS_PER_DAY = 4000;
/** Pull request numbers per day: merged ones first, then open ones, then closed unmerged ones. */
const PRS_PER_DAY = 20;
const MERGED_PRS_PER_DAY = PRS_PER_DAY - 4;
const CI_RUNS_PER_DAY = 50;
const RELEASES_PER_DAY = 10;
/** Deploy workflow run numbers per day: staging and production per release. */
const DEPLOY_RUNS_PER_DAY = 2 * RELEASES_PER_DAY;
const FLAGS_PER_DAY = 4000;
/** Commit i of a day: its pull request and CI run. */
const BASE_COMMIT = 0;
/** The slot's open (0) or closed unmerged (1) pull request. */
const BASE_SIDE_PR = COMMITS_PER_DAY;
/** Release i of a slot: 8 ids per kind (2 deployments with 3 statuses each, 2 runs). */
const BASE_RELEASE = BASE_SIDE_PR + 2;
/** Incident i of a slot: its 3 alert annotations. */
const BASE_INCIDENT = BASE_RELEASE + 8 * RELEASES_PER_DAY;

/** The UTC day slots (floor(t / DAY)) that overlap [from, to). */
function daySlots(from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = Math.floor(from / DAY); d * DAY < to; d++) out.push(d);
  return out;
}

/** One background event: its slot, its index in the slot, its time, and its number of the day. */
interface SlotEvent {
  /** The slot: a UTC day, or for rare events a period of 1/perDay days. */
  slot: number;
  i: number;
  t: number;
  /** floor(t / DAY) and an index unique among the events of that day (below 10). */
  day: number;
  k: number;
}

/** A time in [start, start + length) in work hours (rarely at weekends), within 8 tries. */
function workTime(rng: Rng, start: number, length: number): number {
  let t = start;
  for (let n = 0; n < 8; n++) {
    t = start + rng.next() * length;
    const d = new Date(t);
    const hour = d.getUTCHours();
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    if (hour >= 7 && hour < 19 && (!weekend || rng.chance(0.15))) break;
  }
  return t;
}

/**
 * The events of one kind in [from, to), at perDay a day (in work hours, rarely at weekends, when
 * workHours), at whole seconds, in time order. A function of (seed, kind, service) and absolute
 * time alone: whatever window the caller asks for, an event is the same event (same slot and
 * index). Rare events (at most one a day) come one per period of 1/perDay days at a random time
 * in it, so that every window holds about as many (unless `rare` is false); frequent ones are
 * a Poisson process per UTC day, at most `cap` a day.
 */
function slotEvents(
  ctx: GenContext,
  kind: string,
  index: number,
  perDay: number,
  workHours: boolean,
  from: number,
  to: number,
  cap: number,
  rare: boolean = perDay <= 1,
): SlotEvent[] {
  const out: SlotEvent[] = [];
  if (!(perDay > 0) || from >= to) return out;
  if (rare) {
    const length = Math.round(DAY / perDay);
    for (let slot = Math.floor(from / length); slot * length < to; slot++) {
      const rng = new Rng(ctx.seed, kind, index, length, slot);
      const t = sec(
        workHours
          ? workTime(rng, slot * length, length)
          : slot * length + rng.next() * length,
      );
      if (t >= from && t < to)
        out.push({ slot, i: 0, t, day: Math.floor(t / DAY), k: slot % 10 });
    }
    return out;
  }
  const mean = workHours ? DAY / perDay / 2.2 : DAY / perDay;
  for (const day of daySlots(from, to)) {
    const rng = new Rng(ctx.seed, kind, index, day);
    let i = 0;
    let t = day * DAY + rng.exp(mean);
    for (
      let guard = 0;
      t < (day + 1) * DAY && i < cap && guard < 1e6;
      guard++
    ) {
      const d = new Date(t);
      const hour = d.getUTCHours();
      const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
      if (
        !workHours ||
        (hour >= 7 && hour < 19 && (!weekend || rng.chance(0.15)))
      ) {
        const at = sec(t);
        if (at >= from && at < to) out.push({ slot: day, i, t: at, day, k: i });
        i++;
      }
      t += rng.exp(mean);
    }
  }
  return out;
}

function semver(i: number, base: [number, number, number]): string {
  const minor = base[1] + Math.floor(i / 4);
  const patch = i % 4;
  return `v${base[0]}.${minor}.${patch}`;
}

/** When the setup objects (GitHub App, Grafana rules, Kibana rules) were made: fixed, unless the history starts before. */
export function setupTime(from: number): number {
  return Math.min(Date.UTC(2020, 0, 1), from - 365 * DAY);
}

/** The repository's numeric id and creation time: cheap, without generating the service's data. */
export function repoInfo(
  ctx: GenContext,
  svc: ScenarioService,
): { repoId: number; repoCreatedAt: number } {
  const repoRng = new Rng(ctx.seed, 'repo', svc.index);
  const repoId =
    (ctx.kind === 'scale' ? 600_000_000 : 500_000_000) +
    svc.index * 97 +
    repoRng.int(0, 96);
  // A fixed day of 2018-2019 whatever `now` is (or before the history, when that starts earlier).
  const fixed =
    Date.UTC(2018, 0, 1) +
    repoRng.int(0, 700) * DAY +
    repoRng.int(0, DAY / SECOND - 1) * SECOND;
  const early = ctx.from - repoRng.int(120, 900) * DAY;
  return { repoId, repoCreatedAt: sec(Math.min(fixed, early)) };
}

interface Background {
  ctx: GenContext;
  svc: ScenarioService;
  st: GenState;
  rates: Rates;
  authors: string[];
  quiet: (t: number) => boolean;
}

/** Generates one service's static resources and background activity. */
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
  generateStatic(ctx, svc, data);
  if (ctx.kind === 'empty') return { data, st };

  const team = teamOf(ctx, svc);
  const bg: Background = {
    ctx,
    svc,
    st,
    rates: ratesFor(ctx, svc),
    authors: team.members.length
      ? team.members
      : ctx.org.persons.map(p => p.name).slice(0, 3),
    quiet: (t: number) => inQuiet(ctx, svc, t),
  };
  if (svc.githubSlug) {
    backgroundCommits(bg);
    backgroundSidePulls(bg);
    backgroundReleases(bg);
  }
  if (svc.pagerdutyServiceId) {
    backgroundFlagChanges(bg);
    backgroundIncidents(bg);
  }
  if (svc.esIndexPattern) backgroundLogs(bg);
  return { data, st };
}

/** GitHub: commits, some merged through pull requests, each with a CI run. */
function backgroundCommits(bg: Background): void {
  const { ctx, svc, st, rates } = bg;
  const end = ctx.anchor - 10 * MINUTE;
  // Whole days, so that pull request and run numbers count every commit of the day.
  const events = slotEvents(
    ctx,
    'commits',
    svc.index,
    rates.commitsPerDay,
    rates.workHours,
    Math.floor(ctx.from / DAY) * DAY,
    end,
    COMMITS_PER_DAY,
    false,
  );
  let day = NaN;
  let prs = 0;
  let runs = 0;
  for (const { t, i, slot } of events) {
    if (slot !== day) {
      day = slot;
      prs = 0;
      runs = 0;
    }
    const rng = new Rng(ctx.seed, 'commit', svc.index, day, i);
    const author = rng.pick(bg.authors);
    const subject = `${rng.pick(COMMIT_VERBS)} ${rng.pick(COMMIT_SUBJECTS)}`;
    const prNumber =
      rates.prs && rng.chance(rates.prShare) && prs < MERGED_PRS_PER_DAY
        ? dayNumber(day, PRS_PER_DAY, prs++)
        : undefined;
    const runNumber =
      rates.ci && runs < CI_RUNS_PER_DAY
        ? dayNumber(day, CI_RUNS_PER_DAY, runs++)
        : undefined;
    if (t < ctx.from || bg.quiet(t)) continue;
    scope(
      st,
      new IdAllocator(svc.index, SPACE_BACKGROUND, day, BASE_COMMIT + i),
      rng,
    );
    const c = newCommit(st, t, subject, author);
    if (prNumber !== undefined) {
      newPull(st, {
        title: subject,
        author,
        createdAt: t - rng.int(1, 72) * HOUR,
        mergedAt: t,
        mergeCommit: c,
        number: prNumber,
      });
    }
    if (runNumber !== undefined) {
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
        runNumber,
      });
    }
  }
}

/** GitHub: now and then a pull request that stays open (0), or one closed without merging (1). */
function backgroundSidePulls(bg: Background): void {
  const { ctx, svc, st, rates } = bg;
  if (!rates.prs) return;
  const end = ctx.anchor - 2 * HOUR;
  ([0, 1] as const).forEach(side => {
    const events = slotEvents(
      ctx,
      side === 0 ? 'open-pulls' : 'closed-pulls',
      svc.index,
      side === 0 ? 1 / 7 : 1 / 10,
      rates.workHours,
      ctx.from,
      end,
      1,
    );
    for (const { slot, t, day, k } of events) {
      const rng = new Rng(ctx.seed, 'side-pull', side, svc.index, slot);
      const closedAt = side === 1 ? t + rng.int(1, 48) * HOUR : undefined;
      if (bg.quiet(t) || (closedAt !== undefined && closedAt >= end)) continue;
      scope(
        st,
        new IdAllocator(svc.index, SPACE_BACKGROUND, slot, BASE_SIDE_PR + side),
        rng,
      );
      newPull(st, {
        title:
          side === 0
            ? `${rng.pick(COMMIT_VERBS)} ${rng.pick(COMMIT_SUBJECTS)}`
            : `Spike: ${rng.pick(COMMIT_SUBJECTS)}`,
        author: rng.pick(bg.authors),
        createdAt: t,
        closedAt,
        number: dayNumber(
          day,
          PRS_PER_DAY,
          MERGED_PRS_PER_DAY + 2 * side + (k % 2),
        ),
      });
    }
  });
}

/** Releases, and for runnable services deployments to staging then production. */
function backgroundReleases(bg: Background): void {
  const { ctx, svc, st, rates } = bg;
  if (!(rates.releaseEveryDays > 0)) return;
  const { data } = st;
  const demoBases: Record<string, [number, number, number]> = {
    'payments-api': [2, 12, 0],
    'checkout-api': [3, 6, 0],
    'go-telemetry': [1, 9, 0],
  };
  const base: [number, number, number] = (ctx.kind === 'demo' &&
    demoBases[svc.name]) || [
    1 + (svc.index % 3),
    2 + new Rng(ctx.seed, 'release-base', svc.index).int(0, 8),
    0,
  ];
  // Tags count the releases of the history: the only thing here that depends on its start.
  let releaseNo = 0;
  const end = ctx.anchor - 2 * HOUR;
  const events = slotEvents(
    ctx,
    'releases',
    svc.index,
    1 / rates.releaseEveryDays,
    rates.workHours,
    ctx.from,
    end,
    RELEASES_PER_DAY,
  );
  for (const ev of events) {
    if (bg.quiet(ev.t) || bg.quiet(ev.t + 2 * HOUR)) continue;
    const target =
      data.commits[lowerBound(data.commits, ev.t + 1, c => c.at) - 1];
    if (!target) continue;
    backgroundRelease(bg, ev, semver(releaseNo++, base), target);
  }
}

/** Release i of a day: the release, and for runnable services its deployments. */
function backgroundRelease(
  bg: Background,
  { slot, i, t, day, k }: SlotEvent,
  tag: string,
  target: Commit,
): void {
  const { ctx, svc, st, rates } = bg;
  const rng = new Rng(ctx.seed, 'release', svc.index, slot, i);
  scope(
    st,
    new IdAllocator(svc.index, SPACE_BACKGROUND, slot, BASE_RELEASE + 8 * i),
    rng,
  );
  const releaser = rng.pick(bg.authors);
  st.data.releases.push({
    id: st.ids.next('release'),
    tag,
    name: tag,
    body: `## Changes\n\n- ${target.message}\n`,
    author: releaser,
    at: t,
    targetSha: target.sha,
    prerelease: false,
  });
  if (!rates.deploys) return;
  const envs: Array<[string, number]> = [
    ['staging', 5 * MINUTE],
    ['production', rng.int(30, 90) * MINUTE],
  ];
  envs.forEach(([env, delay], e) => {
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
      runNumber: dayNumber(day, DEPLOY_RUNS_PER_DAY, 2 * k + e),
    });
    if (env !== 'production') return;
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
  });
}

/** PagerDuty: configuration change events (feature flags). */
function backgroundFlagChanges(bg: Background): void {
  const { ctx, svc, st, rates } = bg;
  const end = ctx.anchor - HOUR;
  const events = slotEvents(
    ctx,
    'flags',
    svc.index,
    rates.configChangesPerDay,
    rates.workHours,
    ctx.from,
    end,
    FLAGS_PER_DAY,
  );
  for (const { slot, i, t } of events) {
    if (bg.quiet(t)) continue;
    const rng = new Rng(ctx.seed, 'flag', svc.index, slot, i);
    scope(st, new IdAllocator(svc.index, SPACE_BACKGROUND, slot), rng);
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
      details: {
        flag,
        value: on ? 'on' : 'off',
        actor: rng.pick(bg.authors),
      },
    });
  }
}

/** Low-urgency background incidents, each with a latency alert and a small error blip. */
function backgroundIncidents(bg: Background): void {
  const { ctx, svc, st, rates } = bg;
  const team = teamOf(ctx, svc);
  const latencyRule = st.data.alertRules.find(r =>
    r.title.endsWith('HighLatency'),
  );
  const end = ctx.anchor - 2 * HOUR;
  const events = slotEvents(
    ctx,
    'incidents',
    svc.index,
    rates.incidentsPerDay,
    false,
    ctx.from,
    end,
    INCIDENTS_PER_DAY,
  );
  for (const { slot, i, t, day, k } of events) {
    if (bg.quiet(t) || bg.quiet(t + 2 * HOUR)) continue;
    const rng = new Rng(ctx.seed, 'incident', svc.index, slot, i);
    scope(
      st,
      new IdAllocator(svc.index, SPACE_BACKGROUND, slot, BASE_INCIDENT + 4 * i),
      rng,
    );
    const duration = rng.int(10, 90) * MINUTE;
    const acked = rng.chance(0.8);
    const title = `${rng.pick(LOW_URGENCY_TITLES)} on ${svc.name}`;
    newIncident(ctx, st, svc, {
      number: incidentNumber(ctx, day, svc.index, k),
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
        messages: ['downstream call failed', 'request timed out after 5000ms'],
        status: 504,
      });
    }
  }
}

/**
 * Elasticsearch: normal log volume, denser in the last day. Documents are drawn per day at the
 * denser rate; older ones keep a fixed fraction of them (by a draw of their own), so a document
 * that two histories both hold is the same document.
 */
function backgroundLogs(bg: Background): void {
  const { ctx, svc, st, rates } = bg;
  const dense = Math.max(rates.logsPerDayRecent, rates.logsPerDayOld);
  if (!(dense > 0)) return;
  const keepRecent = rates.logsPerDayRecent / dense;
  const keepOld = rates.logsPerDayOld / dense;
  const thinned = keepRecent < 1 || keepOld < 1;
  const recentFrom = Math.max(ctx.from, ctx.anchor - DAY);
  const mean = DAY / dense;
  for (const day of daySlots(ctx.from, ctx.anchor)) {
    const slot = new Rng(ctx.seed, 'logs', svc.index, day);
    const dayEnd = (day + 1) * DAY;
    let t = day * DAY + slot.exp(mean);
    for (let j = 0; t < dayEnd && j < 10_000_000; j++) {
      const u = thinned ? slot.next() : 0;
      const at = t;
      t += slot.exp(mean);
      if (at < ctx.from || at >= ctx.anchor) continue;
      if (u >= (at >= recentFrom ? keepRecent : keepOld)) continue;
      const rng = new Rng(ctx.seed, 'log', svc.index, day, j);
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
      st.data.logs.push({
        id: docId(rng),
        at: Math.floor(at),
        level,
        message,
        status,
        traceId: rng.hex(32),
        path: rng.pick(HTTP_PATHS),
        durationMs: level === 'info' ? rng.int(3, 180) : rng.int(100, 2000),
      });
    }
  }
}

export { displayName as personDisplayName };
