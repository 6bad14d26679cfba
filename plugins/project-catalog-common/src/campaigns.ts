/**
 * Migration campaigns: a change tracked across many entities (every service declares its
 * PagerDuty service, CI runs on Node 22), with a scope, a check that decides done, per-entity
 * status and daily history for a burn-up chart.
 */

/** Where an entity stands in a campaign. */
export const CAMPAIGN_STATUSES = [
  'pending',
  'in-progress',
  'done',
  'exempt',
  'failing',
  'error',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What a check may answer (`exempt` is set by managers, `error` by a check that throws). */
export const CAMPAIGN_CHECK_OUTCOMES = [
  'pending',
  'in-progress',
  'done',
  'failing',
] as const;
export type CampaignCheckOutcome = (typeof CAMPAIGN_CHECK_OUTCOMES)[number];

/** What owners may set by hand: any status on a `manual` campaign, else `in-progress` only. */
export const CAMPAIGN_MANUAL_STATUSES = [
  'pending',
  'in-progress',
  'done',
] as const;
export type CampaignManualStatus = (typeof CAMPAIGN_MANUAL_STATUSES)[number];

/**
 * Why a check could not answer this time; the entity keeps its last status and says why.
 * `unavailable`: the upstream answered 5xx or could not be reached.
 */
export const CAMPAIGN_DEGRADED_REASONS = [
  'rate-limited',
  'unauthorized',
  'timed-out',
  'unavailable',
] as const;
export type CampaignDegradedReason = (typeof CAMPAIGN_DEGRADED_REASONS)[number];

/** Limits, defined once; the backend validates with them and the frontend reads them. */
export const CAMPAIGN_LIMITS = {
  idLength: 63,
  titleLength: 200,
  descriptionLength: 4000,
  noteLength: 1000,
  reasonLength: 1000,
  scopeValues: 50,
  checkConfigBytes: 8000,
  pageSize: 200,
} as const;

/**
 * Which catalog entities a campaign covers. Every key narrows (AND); the values of one key are
 * alternatives (OR). Values compare without case; `owner` and `system` are entity refs
 * (`group:default/team-sre`, `team-sre`), matched through the entity's relations.
 */
export interface CampaignScope {
  kind?: string[];
  type?: string[];
  tags?: string[];
  owner?: string[];
  system?: string[];
  lifecycle?: string[];
}

/** The scope keys, in the order the UI shows them. */
export const CAMPAIGN_SCOPE_KEYS = [
  'kind',
  'type',
  'tags',
  'owner',
  'system',
  'lifecycle',
] as const;

/** The check that decides whether an entity is done: a check type id and its settings. */
export interface CampaignCheck {
  /** e.g. `entity-field`, `repository-file`, `dash-fact`, `manual`, or a module's own. */
  type: string;
  config: Record<string, unknown>;
}

/** How many entities are in each status. */
export type CampaignCounts = Record<CampaignStatus, number> & { total: number };

export interface Campaign {
  /** Lower-case letters, digits and dashes, e.g. `pagerduty-service`. */
  id: string;
  title: string;
  description?: string;
  /** The group that runs the campaign, e.g. `group:default/team-sre`. */
  owner: string;
  /** ISO 8601, UTC. Owners are told when the campaign starts for their entity. */
  startsAt: string;
  /** ISO 8601, UTC. Owners of entities not done are told a week before. */
  deadline: string;
  scope: CampaignScope;
  check: CampaignCheck;
  /** `config`: declared in app-config (`projectCatalog.campaigns.definitions`), read-only here. */
  origin: 'ui' | 'config';
  /** Send it with the next change. */
  version: number;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  /** The last evaluation, when there was one. */
  evaluatedAt?: string;
  /** Why the last evaluation failed as a whole (the catalog could not be read, ...). */
  evaluationError?: string;
  counts: CampaignCounts;
  /** Entities whose last check could not answer, by reason: their last status is kept. */
  degraded: Partial<Record<CampaignDegradedReason, number>>;
}

/** One entity in one campaign. */
export interface CampaignEntityStatus {
  campaignId: string;
  entityRef: string;
  /** The entity's owner when last evaluated. */
  owner?: string;
  status: CampaignStatus;
  /** Why: what the check found, the exemption's reason, the owners' note or the error. */
  detail?: string;
  /** Set when the last check could not answer: `status` and `detail` are from before. */
  degraded?: {
    reason: CampaignDegradedReason;
    message: string;
    /** ISO; since when the check could not answer. */
    since: string;
  };
  /** Set by the entity's owners. */
  manual?: {
    status: CampaignManualStatus;
    note: string;
    by: string;
    at: string;
  };
  /** Set by campaign managers; an exempt entity counts as done for the burn-up. */
  exemption?: { reason: string; by: string; at: string };
  /** ISO; the last time the check answered. */
  evaluatedAt?: string;
  /** ISO; when `status` last changed. */
  changedAt: string;
}

/** A page of entity statuses. */
export interface CampaignEntityPage {
  items: CampaignEntityStatus[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

export interface CampaignEntityQuery {
  status?: CampaignStatus[];
  /** An owner group ref. */
  owner?: string;
  cursor?: string;
  limit?: number;
}

/** One day of a campaign, whole or for one owner team: the burn-up's data. */
export interface CampaignHistoryPoint {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** The owner team; absent for the whole campaign. */
  team?: string;
  counts: CampaignCounts;
}

export interface CampaignHistory {
  campaignId: string;
  points: CampaignHistoryPoint[];
}

/** A campaign with one entity's place in it, for the entity page. */
export interface EntityCampaign {
  campaign: Campaign;
  status: CampaignEntityStatus;
}

/** A check type the backend knows, with its settings as JSON schema (for the UI's form). */
export interface CampaignCheckTypeInfo {
  id: string;
  title: string;
  description: string;
  configSchema: Record<string, unknown>;
}

/** `POST /campaigns` */
export interface CreateCampaignRequest {
  id: string;
  title: string;
  description?: string;
  owner: string;
  startsAt: string;
  deadline: string;
  scope: CampaignScope;
  check: CampaignCheck;
}

/** `PATCH /campaigns/:id`: the version read, and the fields to change. */
export type UpdateCampaignRequest = Partial<
  Omit<CreateCampaignRequest, 'id'>
> & { version: number };

/** `PUT /campaigns/:id/entities/:kind/:namespace/:name/manual` */
export interface SetManualStatusRequest {
  status: CampaignManualStatus;
  note: string;
}

/** `PUT /campaigns/:id/entities/:kind/:namespace/:name/exemption` */
export interface SetExemptionRequest {
  reason: string;
}

/** The notification topics owners can filter on. */
export const CAMPAIGN_NOTIFICATION_TOPICS = {
  started: 'project-catalog.campaign.started',
  deadline: 'project-catalog.campaign.deadline',
  regressed: 'project-catalog.campaign.regressed',
} as const;

/** Zero in every status. */
export function emptyCampaignCounts(): CampaignCounts {
  const counts = { total: 0 } as CampaignCounts;
  for (const s of CAMPAIGN_STATUSES) counts[s] = 0;
  return counts;
}

/** Done and exempt: what a burn-up counts as finished. */
export function isCampaignFinished(status: CampaignStatus): boolean {
  return status === 'done' || status === 'exempt';
}
