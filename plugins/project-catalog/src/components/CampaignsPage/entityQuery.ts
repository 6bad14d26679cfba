import {
  CAMPAIGN_STATUSES,
  CampaignEntityQuery,
  CampaignStatus,
} from '@dash-suite/plugin-project-catalog-common';
import { UNFINISHED_STATUSES } from '../CampaignShared';

/** Entities per page asked of the backend. */
export const ENTITY_PAGE_SIZE = 50;
/**
 * The most entities the list holds (five pages), so that the page stays light: past this, the
 * status and owner filters narrow it.
 */
export const MAX_ENTITY_ROWS = 250;

export interface EntityFilters {
  /** The statuses shown; every status when empty. */
  status: CampaignStatus[];
  owner: string;
}

/**
 * The filters from the page's query: `?status=failing,error&owner=group:default/team-a`. Without
 * `status` the unfinished statuses; `status=` (empty) every status.
 */
export function filtersOf(params: URLSearchParams): EntityFilters {
  const raw = params.get('status');
  const status =
    raw === null
      ? [...UNFINISHED_STATUSES]
      : CAMPAIGN_STATUSES.filter(s => raw.split(',').includes(s));
  return { status, owner: params.get('owner') ?? '' };
}

/** The query parameters for the filters; the defaults are left out. */
export function paramsOf(
  filters: EntityFilters,
  params: URLSearchParams,
): URLSearchParams {
  const next = new URLSearchParams(params);
  const isDefault =
    filters.status.length === UNFINISHED_STATUSES.length &&
    UNFINISHED_STATUSES.every(s => filters.status.includes(s));
  if (isDefault) next.delete('status');
  else
    next.set(
      'status',
      CAMPAIGN_STATUSES.filter(s => filters.status.includes(s)).join(','),
    );
  if (filters.owner.trim()) next.set('owner', filters.owner.trim());
  else next.delete('owner');
  return next;
}

/** The backend query of the filters (every status: no `status`). */
export function entityQueryOf(
  filters: EntityFilters,
  cursor?: string,
): CampaignEntityQuery {
  return {
    ...(filters.status.length ? { status: filters.status } : {}),
    ...(filters.owner.trim() ? { owner: filters.owner.trim() } : {}),
    ...(cursor ? { cursor } : {}),
    limit: ENTITY_PAGE_SIZE,
  };
}
