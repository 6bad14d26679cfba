import {
  Campaign,
  CampaignEntityStatus,
  emptyCampaignCounts,
} from '@dash-suite/plugin-project-catalog-common';
import {
  CampaignTally,
  StoredCampaign,
  StoredStatus,
} from '../CampaignStore/types';

const iso = (ms: number) => new Date(ms).toISOString();

/** A stored campaign as the API answers it. */
export function campaignView(
  c: StoredCampaign,
  tally?: CampaignTally,
): Campaign {
  return {
    id: c.id,
    title: c.title,
    ...(c.description ? { description: c.description } : {}),
    owner: c.owner,
    startsAt: iso(c.startsMs),
    deadline: iso(c.deadlineMs),
    scope: c.scope,
    check: c.check,
    origin: c.origin,
    version: c.version,
    createdBy: c.createdBy,
    createdAt: iso(c.createdMs),
    updatedBy: c.updatedBy,
    updatedAt: iso(c.updatedMs),
    ...(c.evaluatedMs !== undefined ? { evaluatedAt: iso(c.evaluatedMs) } : {}),
    ...(c.evaluationError ? { evaluationError: c.evaluationError } : {}),
    counts: tally?.counts ?? emptyCampaignCounts(),
    degraded: tally?.degraded ?? {},
  };
}

/** A stored status as the API answers it. */
export function entityStatusView(s: StoredStatus): CampaignEntityStatus {
  return {
    campaignId: s.campaignId,
    entityRef: s.entityRef,
    ...(s.owner ? { owner: s.owner } : {}),
    status: s.status,
    ...(s.detail !== undefined ? { detail: s.detail } : {}),
    ...(s.degraded
      ? {
          degraded: {
            reason: s.degraded.reason,
            message: s.degraded.message,
            since: iso(s.degraded.sinceMs),
          },
        }
      : {}),
    ...(s.manual
      ? {
          manual: {
            status: s.manual.status,
            note: s.manual.note,
            by: s.manual.by,
            at: iso(s.manual.atMs),
          },
        }
      : {}),
    ...(s.exemption
      ? {
          exemption: {
            reason: s.exemption.reason,
            by: s.exemption.by,
            at: iso(s.exemption.atMs),
          },
        }
      : {}),
    ...(s.evaluatedMs !== undefined ? { evaluatedAt: iso(s.evaluatedMs) } : {}),
    changedAt: iso(s.changedMs),
  };
}

/** Paging cursors: the last entity ref of a page, base64url. */
export const encodeCursor = (entityRef: string) =>
  Buffer.from(entityRef, 'utf8').toString('base64url');
export const decodeCursor = (cursor: string) =>
  Buffer.from(cursor, 'base64url').toString('utf8');
