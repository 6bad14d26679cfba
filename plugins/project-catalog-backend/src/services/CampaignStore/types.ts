import {
  CampaignCheck,
  CampaignCheckOutcome,
  CampaignCounts,
  CampaignDegradedReason,
  CampaignManualStatus,
  CampaignScope,
  CampaignStatus,
} from '@dash-suite/plugin-project-catalog-common';

/** A campaign as stored. */
export interface StoredCampaign {
  id: string;
  title: string;
  description?: string;
  owner: string;
  startsMs: number;
  deadlineMs: number;
  scope: CampaignScope;
  check: CampaignCheck;
  origin: 'ui' | 'config';
  version: number;
  createdBy: string;
  createdMs: number;
  updatedBy: string;
  updatedMs: number;
  evaluatedMs?: number;
  evaluationError?: string;
}

/** The fields of a campaign that a writer sets. */
export type CampaignFields = Pick<
  StoredCampaign,
  | 'title'
  | 'description'
  | 'owner'
  | 'startsMs'
  | 'deadlineMs'
  | 'scope'
  | 'check'
>;

/** The check's own answer, before exemptions and owners' notes: an outcome or an error. */
export type StoredCheckStatus = CampaignCheckOutcome | 'error';

/** One entity in one campaign, as stored. */
export interface StoredStatus {
  campaignId: string;
  entityRef: string;
  owner?: string;
  status: CampaignStatus;
  detail?: string;
  checkStatus?: StoredCheckStatus;
  checkDetail?: string;
  cursor?: string;
  degraded?: {
    reason: CampaignDegradedReason;
    message: string;
    sinceMs: number;
  };
  manual?: {
    status: CampaignManualStatus;
    note: string;
    by: string;
    atMs: number;
  };
  exemption?: { reason: string; by: string; atMs: number };
  evaluatedMs?: number;
  changedMs: number;
  doneSinceMs?: number;
}

/** Counts per status, and degraded entities per reason, of one campaign. */
export interface CampaignTally {
  counts: CampaignCounts;
  degraded: Partial<Record<CampaignDegradedReason, number>>;
}

/** One row of daily history: `team` is '' for the whole campaign. */
export interface HistoryRow {
  day: string;
  team: string;
  counts: CampaignCounts;
}

/** What one evaluation of a campaign writes, in one transaction. */
export interface EvaluationWrite {
  campaignId: string;
  upserts: StoredStatus[];
  /** Entities no longer in scope. */
  removed: string[];
  day: string;
  history: HistoryRow[];
  evaluatedMs: number;
}

/** A notification to owners that must be sent once. */
export interface NotificationClaim {
  campaignId: string;
  entityRef: string;
  kind: 'started' | 'deadline' | 'regressed';
  key: string;
}

export interface StatusQuery {
  status?: CampaignStatus[];
  owner?: string;
  /** Entities after this ref (the previous page's last). */
  after?: string;
  limit: number;
}
