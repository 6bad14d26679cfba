/**
 * Page on-call: open a PagerDuty incident for an entity through the backend (PagerDuty Events
 * API v2), never from the browser. The backend finds the service's Events API v2 integration key
 * (the entity's `pagerduty.com/integration-key` annotation, else the integration of the service
 * its `pagerduty.com/service-id` names) and audit-logs every page.
 */

/** The Events API v2 severities, most severe first. */
export const PAGE_SEVERITIES = [
  'critical',
  'error',
  'warning',
  'info',
] as const;
export type PageSeverity = (typeof PAGE_SEVERITIES)[number];

/** Limits of a page, defined once (PagerDuty cuts a summary at 1024 characters). */
export const PAGE_LIMITS = {
  summaryLength: 1024,
  detailsLength: 4000,
} as const;

/** `POST /projects/:kind/:namespace/:name/page` */
export interface PageOnCallRequest {
  /** What is wrong, as the incident's title: `Checkout fails for every card payment`. */
  summary: string;
  /** Defaults to `critical` (pages at once under a default urgency rule). */
  severity?: PageSeverity;
  /** More context for the responder, in the incident's custom details. */
  details?: string;
}

/** The answer of a page the Events API accepted. */
export interface PageOnCallResult {
  /** The entity paged. */
  entityRef: string;
  /** The PagerDuty service the event was routed to, when known. */
  serviceId?: string;
  /** PagerDuty's dedup key: the incident this page opened or joined. */
  dedupKey: string;
  /** PagerDuty's own words (`Event processed`). */
  message: string;
  /** Where the responder will see it, when known (the service's page in PagerDuty). */
  url?: string;
}
