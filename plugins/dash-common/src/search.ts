import { DashEvent, DashEventKind } from './types';

/**
 * Backstage search: the document type of DASH events (`@dash-suite/plugin-search-backend-module-dash`
 * indexes them, the DASH frontend plugin renders them and offers the result type filter).
 */
export const DASH_SEARCH_TYPE = 'dash';

/**
 * The kinds of events that search indexes: what a person types into search to find again
 * (an incident's title, a deployed version, a release, a change such as a rollback or a
 * feature-flag flip).
 */
export const DASH_SEARCH_KINDS: ReadonlyArray<DashEventKind> = [
  'incident',
  'deploy',
  'release',
  'change',
];

/** The most events one page of `GET /search-events` holds (also its default page size). */
export const DASH_SEARCH_PAGE_MAX = 500;

/**
 * `GET /api/dash/search-events`: stored events of {@link DASH_SEARCH_KINDS} that started at or
 * after `since`, newest first; pass `nextCursor` back as `cursor` for the next page (absent on
 * the last page). Service-to-service only.
 */
export interface DashSearchEventsResponse {
  events: DashEvent[];
  nextCursor?: string;
}

/** The fields of a DASH search document, beside Backstage's title, text and location. */
export interface DashSearchDocumentFields {
  entityRef: string;
  /** The event's id: the DASH tab selects it. */
  eventId: string;
  kind: DashEventKind;
  source: string;
  /** ISO 8601, UTC. */
  startTime: string;
  severity: string;
  status?: string;
  version?: string;
  environment?: string;
  /** For changes: `deploy`, `rollback`, `feature-flag`, ... */
  changeType?: string;
}
