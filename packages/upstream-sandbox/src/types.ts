/*
 * The public types of the upstream sandbox: options, faults, the scenario and its stories.
 */

/** The simulated upstreams. */
export type UpstreamName =
  | 'pagerduty'
  | 'github'
  | 'grafana'
  | 'kibana'
  | 'elasticsearch'
  | 'slack'
  | 'kubernetes';

/** Every upstream, in port order (admin is port+0, pagerduty +1, ... elasticsearch +5). */
export const UPSTREAM_NAMES: readonly UpstreamName[] = [
  'pagerduty',
  'github',
  'grafana',
  'kibana',
  'elasticsearch',
  'slack',
  'kubernetes',
];

/** Faults injected into one upstream's answers. */
export interface FaultSpec {
  /** Added before answering: a fixed delay, or uniform between min and max. */
  latencyMs?: number | { min: number; max: number };
  /** Fraction (0..1) of requests answered 500, 502 or 503. */
  errorRate?: number;
  /** A "429 storm": a fraction of requests is refused as rate limited, with Retry-After. */
  rateLimit?: {
    /** Fraction (0..1) of requests refused; default 1. */
    rate?: number;
    /** Value of the Retry-After header in seconds; default 1. */
    retryAfterSec?: number;
    /** Status of the refusal; default 429 (GitHub: 403, its secondary rate limit). */
    status?: 429 | 403;
  };
  /** Fraction (0..1) of requests that never answer (the socket stays open until stop()). */
  hangRate?: number;
  /** Fraction (0..1) of requests answered 200 with truncated, invalid JSON. */
  malformedRate?: number;
  /** Body written in small chunks with this delay (ms) between them. */
  slowDripMs?: number;
  /** Every request is refused with 401 in the upstream's own error shape. */
  unauthorized?: boolean;
  /** Only requests whose path starts with this are affected. */
  pathPrefix?: string;
}

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Default 'demo'. */
  scenario?: 'demo' | 'scale' | 'empty';
  /** Default 42; the same seed and the same `now` give identical data. */
  seed?: number;
  /** Epoch ms anchoring the story times; default Date.now(). */
  now?: number;
  /** 'scale': number of services, default 100, max 10000. */
  services?: number;
  /** 'scale': events per service per day per upstream, default 20. */
  eventsPerDay?: number;
  /** History length generated, in days; default 14. */
  days?: number;
  /** 'demo' and 'empty': where catalog-info/*.yaml live; default <repo>/catalog-info. */
  catalogDir?: string;
  /** Ports to listen on (127.0.0.1); default 0 (a free port) each. */
  ports?: Partial<Record<UpstreamName | 'admin', number>>;
  /** Faults active from the start. */
  faults?: Partial<Record<UpstreamName, FaultSpec>>;
  /** The accepted credential per upstream; default `sandbox-${name}-token`. */
  tokens?: Partial<Record<UpstreamName, string>>;
  /** Rate budgets per token. */
  rateLimits?: {
    pagerdutyPerMinute?: number;
    githubPerHour?: number;
    /** Slack tier 2 calls per minute per token and method (20); tier 3 is 2.5x, tier 4 5x. */
    slackTier2PerMinute?: number;
    /**
     * Time scale of the PagerDuty and GitHub budget windows (default 1): with 60, PagerDuty's
     * minute lasts one second and GitHub's hour one minute, so that a benchmark can spend hours
     * of a realistic budget in minutes. The limits per window stay as given.
     */
    windowScale?: number;
  };
}

/** One answered (or hung) request. */
export interface RequestLogEntry {
  upstream: UpstreamName;
  method: string;
  /** The path without the query string. */
  path: string;
  /** The matched route template, e.g. 'GET /incidents' or 'GET /repos/{owner}/{repo}/commits'. */
  route: string;
  /** HTTP status; 0 for a request that was made to hang. */
  status: number;
  /** Epoch ms when the request arrived. */
  at: number;
  durationMs: number;
  /** The injected faults, comma separated (e.g. 'latency,error'), when any applied. */
  fault?: string;
}

/** A service of the scenario, with the annotation values the suite reads. */
export interface ScenarioService {
  /** Position in `scenario.services`; data is generated per (seed, index). */
  index: number;
  /** Entity name, e.g. 'payments-api'. */
  name: string;
  /** e.g. 'component:default/payments-api'. */
  entityRef: string;
  /** spec.type of the component: service, website, tool, library. */
  type: string;
  description: string;
  /** metadata.tags of the component (e.g. ['go', 'grpc']); empty for 'scale'. */
  tags: string[];
  /** Owner group entity ref, e.g. 'group:default/team-payments'. */
  owner: string;
  system?: string;
  /** Entity refs of the components this one depends on. */
  dependsOn: string[];
  /** `pagerduty.com/service-id`, e.g. 'PPAYAPI'. */
  pagerdutyServiceId?: string;
  /** `github.com/project-slug`, e.g. 'acme/payments-api'. */
  githubSlug?: string;
  /** `grafana/dashboard-selector`, e.g. "tags @> 'payments-api'". */
  grafanaDashboardSelector?: string;
  /** The tag from the dashboard selector, e.g. 'payments-api'. */
  grafanaTag?: string;
  /** `grafana/alert-label-selector`, e.g. 'service=payments-api'. */
  alertLabelSelector?: string;
  /** `kibana/index-pattern`, e.g. 'logs-payments-*'. */
  esIndexPattern?: string;
  /** `kibana/log-query`, e.g. 'service.name:"payments-api" AND log.level:error'. */
  kibanaLogQuery?: string;
  /** `kibana/data-view-id`, e.g. 'logs-payments'. */
  kibanaDataViewId?: string;
  /** Every annotation as read from the catalog (generated ones for 'scale'). */
  annotations: Record<string, string>;
}

/** A reference to one thing an upstream serves, as ground truth for tests. */
export interface StoryChange {
  upstream: UpstreamName;
  /** 'deployment', 'change_event', 'commit', 'pull_request', 'release'. */
  kind: string;
  /** The upstream's id: GitHub deployment id, PagerDuty change event id, commit sha, ... */
  id: string;
  /** Epoch ms. */
  at: number;
  /** Entity the change belongs to. */
  entityRef: string;
  summary: string;
  /** For GitHub: the repository slug. */
  githubSlug?: string;
  /** For PagerDuty: the service id. */
  pagerdutyServiceId?: string;
}

/** A decoy: a change near the incident that is not its cause, and why. */
export interface StoryDecoy extends StoryChange {
  why: string;
}

/** One step of a story, in time order. */
export interface StoryStep {
  at: number;
  upstream: UpstreamName;
  kind: string;
  entityRef: string;
  summary: string;
  id?: string;
}

/** A PagerDuty incident of a story. */
export interface StoryIncident {
  pagerdutyId: string;
  pagerdutyServiceId: string;
  incidentNumber: number;
  title: string;
  htmlUrl: string;
  triggeredAt: number;
  acknowledgedAt?: number;
  escalatedAt?: number;
  resolvedAt?: number;
}

/** An incident story with its ground truth. */
export interface Story {
  id: string;
  title: string;
  /** Entity of the paged service (for the quiet-library story: the library). */
  entityRef: string;
  incident?: StoryIncident;
  /** The change that caused the incident. */
  cause?: StoryChange;
  /** The same cause as seen by other upstreams (e.g. the PagerDuty change event of a deploy). */
  causeAlsoSeenAs: StoryChange[];
  /**
   * When the problem began (epoch ms): its earliest anomalous signal (an error spike, a firing
   * alert) that runs on into the incident. Set by the stories whose onset is not the page.
   */
  onset?: number;
  /** The change that ended the incident (a rollback, a revert, a flag turned back off), if one did. */
  fix?: StoryChange;
  /** Changes that are not the cause. */
  decoys: StoryDecoy[];
  /** Error spike in Elasticsearch (the service whose logs spike, and when). */
  errorSpikes: Array<{
    entityRef: string;
    from: number;
    to: number;
    perMinute: number;
  }>;
  /** Grafana alert rule that fired, when any. */
  alert?: {
    ruleUid: string;
    alertName: string;
    entityRef: string;
    firingAt: number;
    resolvedAt?: number;
  };
  timeline: StoryStep[];
}

/** The generated data, read-only. */
export interface Scenario {
  kind: 'demo' | 'scale' | 'empty';
  seed: number;
  /** The `now` the story times are anchored to (epoch ms). */
  now: number;
  /** History length in days: events lie in [now - days, now]. */
  days: number;
  /** 'scale' only: events per service per day per upstream. */
  eventsPerDay: number;
  services: ScenarioService[];
  stories: Story[];
  /** GitHub ground truth: organisations, teams and every repository with its facts. */
  github: ScenarioGitHub;
  /** PagerDuty ground truth: every service with its Events API v2 integration key. */
  pagerduty: ScenarioPagerDuty;
  /** The live story that replayLive() plays (demo only). */
  live?: { entityRef: string; pagerdutyServiceId: string; githubSlug: string };
}

/** A GitHub team of an organisation: one per catalog team group, the slug is the group's name. */
export interface ScenarioGitHubTeam {
  org: string;
  id: number;
  /** e.g. 'team-payments'; CODEOWNERS names it '@acme/team-payments'. */
  slug: string;
  /** e.g. 'Payments'. */
  name: string;
}

/** A team's access to a repository. */
export interface ScenarioRepoTeam {
  slug: string;
  permission: 'admin' | 'maintain' | 'push' | 'triage' | 'pull';
}

/** A GitHub repository and the facts its files and answers carry. */
export interface ScenarioRepo {
  /** e.g. 'acme/payments-api'. */
  fullName: string;
  owner: string;
  name: string;
  /** Whether a catalog component names it in `github.com/project-slug`. */
  inCatalog: boolean;
  /** That component, when one does. */
  entityRef?: string;
  /** service, website, tool or library (the component's spec.type, or what the repository is). */
  type: string;
  description: string;
  /** The primary language GET /repos answers ('Go', 'TypeScript', 'Kotlin', ...). */
  language: string;
  /** GET /repos/{o}/{r}/languages: bytes per language, largest first. */
  languages: Record<string, number>;
  topics: string[];
  archived: boolean;
  fork: boolean;
  /** The full name of the forked repository, for a fork. */
  forkOf?: string;
  private: boolean;
  defaultBranch: string;
  /** Slug of the owning team: the one CODEOWNERS names, or (without CODEOWNERS) the one with admin access. */
  ownerTeam: string;
  /** Whether `.github/CODEOWNERS` exists (`* @<org>/<ownerTeam>`). */
  codeowners: boolean;
  /** Teams with access (GET /repos/{o}/{r}/teams), the owner first. */
  teams: ScenarioRepoTeam[];
  /** Package manifests at the root: 'package.json', 'go.mod', 'build.gradle.kts', 'pyproject.toml', 'pom.xml'. */
  manifests: string[];
  /** The CI workflow: always '.github/workflows/ci.yml'. */
  ciWorkflow: string;
  /**
   * JavaScript/TypeScript repositories: the `node-version` of ci.yml. The Node repositories of
   * an organisation, sorted by full name, alternate 22, 18, 22, ... (the first uses 22).
   */
  nodeVersion?: 18 | 22;
  /** Every file path, sorted. */
  files: string[];
}

/** GitHub ground truth. */
export interface ScenarioGitHub {
  /** The organisations owning the repositories ('acme'; 'scale' for the scale scenario). */
  orgs: string[];
  teams: ScenarioGitHubTeam[];
  /** The catalog's repositories (in catalog order), then the ones the catalog lacks. */
  repos: ScenarioRepo[];
}

/** A PagerDuty service and its Events API v2 integration. */
export interface ScenarioPagerDutyService {
  /** e.g. 'PPAYAPI'. */
  id: string;
  name: string;
  /** Whether a catalog component names it in `pagerduty.com/service-id`. */
  inCatalog: boolean;
  /** That component, when one does. */
  entityRef?: string;
  /** Catalog group name of the team whose escalation policy it uses. */
  team: string;
  /** Id of its Events API v2 integration (GET /services/{id}: integrations[0]). */
  integrationId: string;
  /** The integration key: the `routing_key` of POST /v2/enqueue (32 hex characters). */
  integrationKey: string;
}

/** PagerDuty ground truth. */
export interface ScenarioPagerDuty {
  /** The catalog's services (in catalog order), then the ones no catalog entity names. */
  services: ScenarioPagerDutyService[];
}

/** One run of the live story, started by replayLive(). */
export interface LiveReplay {
  /** A story with concrete times, ids and ground truth. */
  story: Story;
  startedAt: number;
  stepMs: number;
  /** When the last step has happened. */
  endsAt: number;
}

/** A running sandbox. */
export interface Sandbox {
  urls: Record<UpstreamName | 'admin', string>;
  tokens: Record<UpstreamName, string>;
  scenario: Scenario;
  requests(
    filter?: Partial<Pick<RequestLogEntry, 'upstream' | 'route'>>,
  ): RequestLogEntry[];
  counters(): Record<UpstreamName, Record<string, number>>;
  /** Answers per upstream and HTTP status, e.g. `{ github: { '200': 9, '403': 1 } }`. */
  statuses(): Record<UpstreamName, Record<string, number>>;
  /** Clears the request log and the counters. */
  resetCounters(): void;
  setFaults(upstream: UpstreamName, faults: FaultSpec | undefined): void;
  /**
   * How many times a service's data was generated: every service at the start for 'demo' and
   * 'empty'; for 'scale' each first use, and again after the 1,000 most recently used moved on.
   */
  generatedServices(): number;
  /** Starts the live story now. */
  replayLive(options?: { stepMs?: number }): LiveReplay;
  /** Closes every server, including hung sockets. */
  stop(): Promise<void>;
}
