import { JsonValue } from '@backstage/types';

/** What an event is. Sources map upstream objects onto these kinds. */
export const DASH_EVENT_KINDS = [
  'incident',
  'alert',
  'annotation',
  'log-spike',
  'deploy',
  'commit',
  'pull-request',
  'release',
  'workflow-run',
  'change',
  'on-call-handoff',
  /** A chat message worth seeing (pinned or flagged with a reaction), e.g. from Slack. */
  'message',
  /** Pods of one workload in trouble (crash loops, OOM kills, failed probes, evictions) over a span. */
  'pod-trouble',
] as const;
export type DashEventKind = (typeof DASH_EVENT_KINDS)[number];

/** Kinds that change a system and so can cause an incident. */
export const DASH_CHANGE_KINDS: ReadonlyArray<DashEventKind> = [
  'deploy',
  'pull-request',
  'release',
  'change',
  'annotation',
];

/** Kinds that say something is wrong. */
export const DASH_PROBLEM_KINDS: ReadonlyArray<DashEventKind> = [
  'incident',
  'alert',
];

/** Severity, most severe first. */
export const DASH_SEVERITIES = [
  'critical',
  'error',
  'warning',
  'info',
] as const;
export type DashSeverity = (typeof DASH_SEVERITIES)[number];

/** Who did it. */
export interface DashActor {
  name: string;
  email?: string;
  url?: string;
}

/**
 * One normalized event on the timeline.
 *
 * `id` is stable across refreshes (`<source>:<upstream id>`), so that a refresh updates an event
 * instead of adding a second copy, and so that a link to a selected event keeps working.
 */
export interface DashEvent {
  id: string;
  /** Source id, e.g. `pagerduty`, `github`, `grafana`, `kibana`, `changes`. */
  source: string;
  kind: DashEventKind;
  title: string;
  severity: DashSeverity;
  /** ISO 8601, UTC. */
  startTime: string;
  /** ISO 8601, UTC; for events with a duration (incidents, alerts, workflow runs). */
  endTime?: string;
  /** The catalog entity the event belongs to, e.g. `component:default/payments-api`. */
  entityRef: string;
  /** Upstream state, e.g. `triggered`, `resolved`, `firing`, `success`, `failure`. */
  status?: string;
  actor?: DashActor;
  /** Deep link into the upstream's own UI (http or https only). */
  url?: string;
  /** Source-specific details, e.g. `environment`, `version`, `sha`, `changeType`, `rollback`. */
  attributes: Record<string, JsonValue>;
}

/** Where a source stands for one entity. */
export const DASH_SOURCE_STATUSES = [
  'ok',
  'stale',
  'refreshing',
  'rate-limited',
  'timed-out',
  'unauthorized',
  'error',
  'not-configured',
  /** The entity's annotations name something outside the source's allow-list in config. */
  'not-allowed',
] as const;
export type DashSourceStatus = (typeof DASH_SOURCE_STATUSES)[number];

export interface DashSourceState {
  /** Source id. */
  id: string;
  /** Human name, e.g. `PagerDuty`. */
  title: string;
  /** The entity this state is for. */
  entityRef: string;
  status: DashSourceStatus;
  /** ISO time of the last successful fetch; absent when there was none. */
  fetchedAt?: string;
  /** Why the status is not `ok`, in words for the user. */
  message?: string;
  /** ISO time before which the source will not call the upstream again (rate limits). */
  retryAfter?: string;
  /**
   * ISO time of the next upstream call for this entity, while the source backs off after
   * failures (or waits out a rate limit); until then the stored events are shown.
   */
  nextAttemptAt?: string;
}

/** How a candidate change relates to the entity that had the problem. */
export type DashCandidateRelation = 'self' | 'dependency';

/** A commit or merged pull request that a deploy shipped. */
export interface DashShippedChange {
  kind: 'commit' | 'pull-request';
  title: string;
  /** The event's id when the timeline holds it (a merged pull request, a commit). */
  eventId?: string;
  /** Pull request number. */
  number?: number;
  sha?: string;
  url?: string;
}

export interface DashCauseCandidate {
  eventId: string;
  entityRef: string;
  relation: DashCandidateRelation;
  /** 0..1, higher is more likely. */
  score: number;
  /**
   * Why it is a suspect, in words, most important first: every factor that moved it up or down
   * (its age from the onset, evidence on a dependency, a revert followed by recovery, ...).
   */
  reasons: string[];
  /**
   * What a deploy shipped (commits and merged pull requests since the previous deploy of its
   * environment), when known. These are shown inside the deploy, not as suspects of their own.
   */
  shipped?: DashShippedChange[];
}

/**
 * When the problem began: the earliest anomalous signal on the entity (a log spike, a firing
 * alert, an error annotation, an incident) that runs continuously into the incident or alert.
 * The page often comes minutes or hours later.
 */
export interface DashOnset {
  /** ISO time. */
  time: string;
  /** The signal that marks the onset: the problem itself when nothing anomalous came before it. */
  eventId: string;
  /** The signals that run from the onset into the problem, oldest first (ids). */
  signalIds: string[];
  /** In words, e.g. "An error spike on payments-api 42 min before the incident". */
  summary: string;
}

/** A change that came after the problem began: not its cause, perhaps a mitigation. */
export interface DashAfterOnsetChange {
  eventId: string;
  entityRef: string;
  /** Why it is not a suspect, and what it may have been (a rollback, a flag turned off). */
  reasons: string[];
}

/** The likely causes of one incident or alert. */
export interface DashCorrelation {
  /** The incident or alert. */
  eventId: string;
  /** ISO start of the look-back window. */
  lookbackFrom: string;
  /** ISO end of the look-back window: the problem's onset. */
  lookbackTo: string;
  /** When the problem began; the look-back and the proximity decay start from here. */
  onset: DashOnset;
  /** `ranked` when plausible candidates exist, else `nothing-plausible`. */
  verdict: 'ranked' | 'nothing-plausible';
  /** Said to the user when the verdict is `nothing-plausible`, or as a summary. */
  summary: string;
  /** Suspects, most likely first. Only changes before the onset. */
  candidates: DashCauseCandidate[];
  /**
   * Changes between the onset and the end of the problem, oldest first: shown as such, never as
   * causes (rollbacks, flags turned off, unrelated work).
   */
  afterOnset: DashAfterOnsetChange[];
}

export interface DashTimelineResponse {
  /** The entities asked for (after access checks). */
  entityRefs: string[];
  /** Dependencies whose events are included (with `includeDependencies`). */
  dependencyRefs: string[];
  from: string;
  to: string;
  /** Events in the window, oldest first. */
  events: DashEvent[];
  /**
   * True when the window held more events than the backend returns at once
   * (`dash.maxEvents`); `events` then holds the newest ones. Narrow the window or filter.
   */
  truncated?: boolean;
  /**
   * Events that correlations point at but that are not in `events` (changes on dependencies
   * when `includeDependencies` is off), so that every candidate can be shown.
   */
  relatedEvents: DashEvent[];
  /** One state per (source, entity) pair that applies. */
  sources: DashSourceState[];
  /** One per incident or alert in `events`. */
  correlations: DashCorrelation[];
  /** ISO time the answer was made. */
  generatedAt: string;
}

export interface DashOnCallEntry {
  source: string;
  entityRef: string;
  escalationLevel: number;
  user: DashActor;
  /** Schedule or policy name. */
  schedule?: string;
  /** ISO; absent for permanent on-call. */
  start?: string;
  end?: string;
  url?: string;
}

export interface DashOnCallResponse {
  entityRef: string;
  onCall: DashOnCallEntry[];
  sources: DashSourceState[];
}

export interface DashAlertsResponse {
  entityRef: string;
  alerts: DashEvent[];
  sources: DashSourceState[];
}

export interface DashDeploysResponse {
  entityRef: string;
  from: string;
  to: string;
  deploys: DashEvent[];
  sources: DashSourceState[];
}

/** DORA metrics over a window. Each value is null when there is no data to compute it from. */
export interface DashDoraMetrics {
  entityRef: string;
  from: string;
  to: string;
  /** Successful production deploys. */
  deployCount: number;
  /** Successful production deploys per day. */
  deploysPerDay: number | null;
  /** Median hours from a merged pull request's creation to the first production deploy after its merge. */
  leadTimeHours: number | null;
  /** Fraction of production deploys that were followed by an incident they likely caused, or rolled back. */
  changeFailureRate: number | null;
  /** Median hours from an incident's start to its resolution. */
  timeToRestoreHours: number | null;
  /** How many of each input there were, so a reader can judge the figures. */
  basis: {
    deploys: number;
    mergedPullRequests: number;
    failedDeploys: number;
    resolvedIncidents: number;
  };
  sources: DashSourceState[];
}

/** A change event from any deploy system (`POST /changes`). */
export const DASH_CHANGE_TYPES = [
  'deploy',
  'config',
  'feature-flag',
  'infrastructure',
  'rollback',
  'other',
] as const;
export type DashChangeType = (typeof DASH_CHANGE_TYPES)[number];

export interface DashChangeEventInput {
  /**
   * Idempotency key, per poster: the same caller posting the same id again updates its event
   * instead of adding one; another caller's same id is a separate event. Stored (and answered)
   * as `changes:<id>#<poster>`.
   */
  id: string;
  entityRef: string;
  /** ISO 8601 with a time zone. */
  time: string;
  title: string;
  type: DashChangeType;
  environment?: string;
  version?: string;
  actor?: DashActor;
  url?: string;
  /** Optional free-form details; string, number or boolean values. */
  details?: Record<string, string | number | boolean>;
}

export interface DashChangeEventResponse {
  event: DashEvent;
  created: boolean;
}

/** A link into an upstream's own UI for an entity and window (a dashboard, a log search). */
export interface DashDeepLink {
  source: string;
  /** The source's name, e.g. `Grafana`. */
  sourceTitle: string;
  title: string;
  /** http(s) only. */
  url: string;
}

/** What the DASH backend is configured to allow, for the UI to keep to. */
export interface DashSettingsResponse {
  /** The widest window the backend answers, in days (`dash.maxWindowDays`). */
  maxWindowDays: number;
}

export interface DashLinksResponse {
  entityRef: string;
  from: string;
  to: string;
  links: DashDeepLink[];
}

export interface DashRefreshResponse {
  sources: DashSourceState[];
}
