import { ProjectType, QuickLink } from './fields';
import { CreateProjectRequest } from './types';

/**
 * Discovery: projects the catalog does not have yet (repositories of the configured GitHub
 * organisations, PagerDuty services no entity names), waiting in a review queue until someone
 * adopts, ignores or merges them.
 */

/** Where a suggestion was found. */
export const DISCOVERY_SOURCES = ['github', 'pagerduty'] as const;
export type DiscoverySource = (typeof DISCOVERY_SOURCES)[number];

/** Where a suggestion is in the review queue. */
export const SUGGESTION_STATUSES = [
  'open',
  'adopted',
  'ignored',
  'merged',
] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** How the last scan of one upstream ended. */
export const DISCOVERY_SCAN_STATUSES = [
  'ok',
  'rate-limited',
  'unauthorized',
  'timed-out',
  'error',
  'not-configured',
] as const;
export type DiscoveryScanStatus = (typeof DISCOVERY_SCAN_STATUSES)[number];

/** Limits of the discovery API, defined once. */
export const DISCOVERY_LIMITS = {
  /** Actions in one `POST /discovery/suggestions/actions`. */
  actionsPerRequest: 100,
  /** Suggestions in one page of `GET /discovery/suggestions`. */
  pageSize: 200,
  defaultPageSize: 50,
  /** Length of the reason given when ignoring a suggestion. */
  reasonLength: 500,
} as const;

/** Why discovery inferred what it did, in words (e.g. `type: "topic 'library'"`). */
export interface DiscoveryEvidence {
  type?: string;
  owner?: string;
  /** A catalog entity that may be the same project (same name, no annotation): merge into it? */
  possibleMatch?: string;
}

/** A project discovery found. Times are ISO 8601, UTC. */
export interface DiscoverySuggestion {
  /** `<source>:<key>`, e.g. `github:acme/returns-service` or `pagerduty:PLEGACY`. */
  id: string;
  source: DiscoverySource;
  /** The entity name it would get on adoption. */
  name: string;
  title?: string;
  description?: string;
  type?: ProjectType;
  /** A group entity ref, e.g. `group:default/team-payments`. */
  owner?: string;
  /** The primary language (GitHub). */
  language?: string;
  links: QuickLink[];
  /** The annotations an adopted or merged project gets, e.g. `github.com/project-slug`. */
  annotations: Record<string, string>;
  evidence: DiscoveryEvidence;
  status: SuggestionStatus;
  /** Why it was ignored. */
  reason?: string;
  decidedBy?: string;
  decidedAt?: string;
  /** The entity it was adopted as or merged into. */
  entityRef?: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** `GET /discovery/suggestions` */
export interface DiscoverySuggestionQuery {
  status?: SuggestionStatus;
  source?: DiscoverySource;
  limit?: number;
  cursor?: string;
}

export interface DiscoverySuggestionPage {
  suggestions: DiscoverySuggestion[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
  /** Suggestions per status, for the source asked for (all sources without one). */
  counts: Record<SuggestionStatus, number>;
}

/** The scan state of one upstream. `pending`: configured, not scanned yet. */
export interface DiscoveryUpstreamState {
  id: DiscoverySource;
  status: DiscoveryScanStatus | 'pending';
  /** Why it is not ok, naming the config key or the upstream's answer. */
  message?: string;
  lastRunAt?: string;
  /** When a scan last succeeded: the suggestions shown are from that scan. */
  lastSuccessAt?: string;
  /** Projects the last successful scan found that the catalog lacks. */
  found?: number;
}

/** `GET /discovery/status`, and the answer of `POST /discovery/scan`. */
export interface DiscoveryStatus {
  enabled: boolean;
  upstreams: DiscoveryUpstreamState[];
}

/** What may be changed when adopting a suggestion. */
export type AdoptEdits = Partial<
  Pick<
    CreateProjectRequest,
    | 'name'
    | 'title'
    | 'type'
    | 'owner'
    | 'system'
    | 'lifecycle'
    | 'tier'
    | 'tags'
    | 'description'
  >
>;

export type DiscoveryAction =
  | { id: string; action: 'adopt'; edits?: AdoptEdits }
  | { id: string; action: 'ignore'; reason: string }
  | { id: string; action: 'merge'; entityRef: string };

/** `POST /discovery/suggestions/actions` */
export interface DiscoveryActionsRequest {
  actions: DiscoveryAction[];
}

/** The outcome of one action; `status` is the HTTP status it would have had on its own. */
export type DiscoveryActionResult =
  | {
      id: string;
      action: DiscoveryAction['action'];
      ok: true;
      status: number;
      /** The project adopted or merged into. */
      entityRef?: string;
    }
  | {
      id: string;
      action: DiscoveryAction['action'];
      ok: false;
      status: number;
      error: { name: string; message: string };
    };

/** Always 200 once the request is valid and allowed: each action answers for itself. */
export interface DiscoveryActionsResponse {
  results: DiscoveryActionResult[];
}
