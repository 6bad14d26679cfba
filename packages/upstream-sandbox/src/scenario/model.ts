/*
 * The internal data model the upstream handlers read. Times are epoch ms (whole seconds).
 * Every array is sorted by time ascending. A service's data is generated on first use.
 */

export interface Person {
  /** Catalog user name, e.g. 'amara.okafor'. */
  name: string;
  displayName: string;
  email: string;
  /** PagerDuty user id. */
  pdId: string;
  /** GitHub login and numeric id. */
  login: string;
  ghId: number;
  /** Catalog group name of the team, e.g. 'team-payments'. */
  team: string;
}

export interface Team {
  /** Catalog group name, e.g. 'team-payments'. */
  name: string;
  displayName: string;
  pdTeamId: string;
  scheduleId: string;
  scheduleName: string;
  escalationPolicyId: string;
  escalationPolicyName: string;
  /** Members in rotation order. */
  members: string[];
}

export interface Commit {
  sha: string;
  message: string;
  author: string;
  at: number;
  parentSha?: string;
  treeSha: string;
  /** Pull request number when the commit is a merge of one. */
  pr?: number;
}

export interface PullRequest {
  number: number;
  id: number;
  title: string;
  body: string;
  author: string;
  createdAt: number;
  updatedAt: number;
  closedAt?: number;
  mergedAt?: number;
  mergeCommitSha?: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  labels: string[];
}

export interface Release {
  id: number;
  tag: string;
  name: string;
  body: string;
  author: string;
  at: number;
  targetSha: string;
  prerelease: boolean;
}

export interface DeploymentStatus {
  id: number;
  state:
    | 'error'
    | 'failure'
    | 'inactive'
    | 'pending'
    | 'success'
    | 'queued'
    | 'in_progress';
  at: number;
  description: string;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  task: string;
  description: string;
  creator: string;
  at: number;
  statuses: DeploymentStatus[];
}

export interface WorkflowRun {
  id: number;
  workflowId: number;
  workflowName: string;
  path: string;
  runNumber: number;
  event: string;
  status: 'completed' | 'in_progress' | 'queued';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  headBranch: string;
  headSha: string;
  displayTitle: string;
  actor: string;
  at: number;
  updatedAt: number;
}

export interface PdLogEntry {
  id: string;
  type:
    | 'trigger_log_entry'
    | 'notify_log_entry'
    | 'acknowledge_log_entry'
    | 'escalate_log_entry'
    | 'annotate_log_entry'
    | 'resolve_log_entry'
    | 'assign_log_entry';
  at: number;
  /** Catalog user name for user agents; undefined for the service itself. */
  agent?: string;
  /** Notified or assigned user. */
  user?: string;
  note?: string;
  /** Escalation level reached (escalate entries). */
  level?: number;
  channel: string;
  summary: string;
}

export interface PdIncident {
  id: string;
  number: number;
  title: string;
  urgency: 'high' | 'low';
  key: string;
  createdAt: number;
  /** Ordered by time; status at a moment follows from the entries up to it. */
  log: PdLogEntry[];
  description: string;
  /** The incident's `conference_bridge.conference_url` (its Slack channel), when it has one. */
  chatUrl?: string;
}

export interface PdChangeEvent {
  id: string;
  summary: string;
  at: number;
  source: string;
  customDetails: Record<string, string | number>;
  links: Array<{ href: string; text: string }>;
}

export interface Dashboard {
  uid: string;
  id: number;
  title: string;
  tags: string[];
  folderUid: string;
  folderTitle: string;
  folderId: number;
}

export interface AlertRule {
  uid: string;
  id: number;
  title: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  folderUid: string;
  ruleGroup: string;
  dashboardUid: string;
  forDuration: string;
  expr: string;
}

export interface Annotation {
  id: number;
  at: number;
  timeEnd: number;
  tags: string[];
  text: string;
  dashboardUid?: string;
  dashboardId?: number;
  panelId?: number;
  /** Alert state change annotations. */
  alert?: {
    ruleUid: string;
    alertId: number;
    alertName: string;
    newState: 'Alerting' | 'Pending' | 'Normal';
    prevState: 'Alerting' | 'Pending' | 'Normal';
  };
  login?: string;
}

/** A time window in which an alert rule was firing (or pending). */
export interface AlertWindow {
  ruleUid: string;
  pendingAt: number;
  firingAt: number;
  resolvedAt?: number;
  value: string;
}

export interface LogDoc {
  id: string;
  at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  status: number;
  traceId: string;
  path: string;
  durationMs: number;
}

export interface KibanaRule {
  id: string;
  name: string;
  tags: string[];
  query: string;
  index: string;
  intervalMinutes: number;
  createdAt: number;
}

/** A Slack channel of the service that is not its own channel: an incident channel. */
export interface SlackChannel {
  id: string;
  name: string;
  createdAt: number;
  /** Catalog user name. */
  creator: string;
  purpose: string;
}

/** A Slack message (a thread reply when `threadTs` is set). */
export interface SlackMessage {
  channel: string;
  /** Slack's message id, `<seconds>.<6 digits>`. */
  ts: string;
  at: number;
  /** Catalog user name of the author. */
  user: string;
  /** Slack mrkdwn, as users typed it (`<@U…>` mentions, `<https://x|label>` links). */
  text: string;
  /** Parent's ts, for a thread reply. */
  threadTs?: string;
  /** Pinned, when and by whom (shown by pins.list once `at` has passed). */
  pinned?: { at: number; by: string };
  /** Emoji names and who reacted. */
  reactions?: Array<{ name: string; users: string[] }>;
}

/** Everything generated for one service. */
export interface ServiceData {
  commits: Commit[];
  pulls: PullRequest[];
  releases: Release[];
  deployments: Deployment[];
  runs: WorkflowRun[];
  incidents: PdIncident[];
  changeEvents: PdChangeEvent[];
  dashboards: Dashboard[];
  alertRules: AlertRule[];
  annotations: Annotation[];
  alertWindows: AlertWindow[];
  logs: LogDoc[];
  /** Error spikes (ms windows) that the Kibana rule reports as active alerts. */
  spikes: Array<{ from: number; to: number }>;
  kibanaRules: KibanaRule[];
  /** Incident channels (the service's own channel is derived, see slack.ts). */
  slackChannels: SlackChannel[];
  /** Messages the stories wrote (background chatter is derived, see slack.ts). */
  slackMessages: SlackMessage[];
  /** Repository creation time and numeric id. */
  repoCreatedAt: number;
  repoId: number;
}

/** What of a service's data is static (not history): known without generating the rest. */
export type StaticData = Pick<
  ServiceData,
  'dashboards' | 'alertRules' | 'kibanaRules'
>;

export function emptyServiceData(
  repoId: number,
  repoCreatedAt: number,
): ServiceData {
  return {
    commits: [],
    pulls: [],
    releases: [],
    deployments: [],
    runs: [],
    incidents: [],
    changeEvents: [],
    dashboards: [],
    alertRules: [],
    annotations: [],
    alertWindows: [],
    logs: [],
    spikes: [],
    kibanaRules: [],
    slackChannels: [],
    slackMessages: [],
    repoCreatedAt,
    repoId,
  };
}

/** Sorts every time-ordered array of the service data; a commit's parent is the one before it. */
export function sortServiceData(data: ServiceData): void {
  data.commits.sort((a, b) => a.at - b.at || cmp(a.sha, b.sha));
  data.commits.forEach((c, i) => {
    c.parentSha = i > 0 ? data.commits[i - 1].sha : undefined;
  });
  data.pulls.sort((a, b) => a.createdAt - b.createdAt || a.number - b.number);
  data.releases.sort((a, b) => a.at - b.at || a.id - b.id);
  data.deployments.sort((a, b) => a.at - b.at || a.id - b.id);
  data.runs.sort((a, b) => a.at - b.at || a.id - b.id);
  data.incidents.sort((a, b) => a.createdAt - b.createdAt || cmp(a.id, b.id));
  data.changeEvents.sort((a, b) => a.at - b.at || cmp(a.id, b.id));
  data.annotations.sort((a, b) => a.at - b.at || a.id - b.id);
  data.logs.sort((a, b) => a.at - b.at || cmp(a.id, b.id));
  data.alertWindows.sort((a, b) => a.pendingAt - b.pendingAt);
  data.slackMessages.sort((a, b) => a.at - b.at || cmp(a.ts, b.ts));
}

function cmp(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
