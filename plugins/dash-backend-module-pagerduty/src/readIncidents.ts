import { DAY_MS, MINUTE_MS } from '@dash-suite/plugin-dash-common';
import { mapWithConcurrency } from '@dash-suite/plugin-dash-node';
import { Incident, LogEntry, incidentSchema, logEntrySchema } from './schemas';
import {
  PARALLEL,
  ServiceRead,
  getEachById,
  splitRange,
  warnPartial,
} from './serviceRead';

/** Open incidents re-read by id per fetch; the rest wait for the next one. */
const MAX_REREAD = 25;
/** Slack when deciding whether an incident changed since the last fetch. */
const CHANGE_SLACK_MS = 5 * MINUTE_MS;
/**
 * Longest `since`/`until` range PagerDuty accepts for incidents: 6 months (it answers 400 "the
 * date range may span at most 180 days" past that). Longer windows are read in chunks.
 */
const MAX_INCIDENT_RANGE_MS = 180 * DAY_MS;

const changedAt = (incident: Incident) =>
  Math.max(
    ...[
      incident.updated_at,
      incident.last_status_change_at,
      incident.resolved_at,
      incident.created_at,
    ]
      .map(t => (t ? Date.parse(t) : NaN))
      .filter(t => !Number.isNaN(t)),
    0,
  );

/** What the last fetch left for this one (from the cursor). */
export interface IncidentsLeftOver {
  /** Incidents open at the last fetch. */
  open: string[];
  /** Incidents whose log entries were left for this fetch. */
  pendingLogs: string[];
  /** End of the last fetch's window (ms). */
  to: number;
}

/** The incidents of a window, whose log entries to read, and what is left for the next fetch. */
export interface IncidentsRead {
  incidents: Map<string, Incident>;
  /** Incidents whose log entries are read in this fetch. */
  logNow: string[];
  /** Incidents whose log entries are left for the next fetch. */
  logLater: string[];
  /** Open incidents not re-read this time. */
  stillUnread: string[];
}

/**
 * Incidents created in the window and those open at the last fetch (re-read by id); and which
 * of them need their log entries read: those open, changed since the last fetch or left over
 * (all of them on a `full` read).
 */
export async function readIncidents(
  read: ServiceRead,
  window: { fromMs: number; toMs: number },
  last: IncidentsLeftOver | undefined,
  full: boolean,
): Promise<IncidentsRead> {
  const { client, upstream, serviceId, settings, logger } = read;
  // Incidents created in the window (`since`/`until` filter on creation), newest first so
  // that a truncated read keeps the recent ones; in chunks PagerDuty accepts.
  const incidents = new Map<string, Incident>();
  for (const chunk of splitRange(
    window.fromMs,
    window.toMs,
    MAX_INCIDENT_RANGE_MS,
  )) {
    const listed = await client.list(
      upstream,
      'incidents',
      {
        'service_ids[]': [serviceId],
        since: chunk.since,
        until: chunk.until,
        time_zone: 'UTC',
        sort_by: 'created_at:desc',
        'include[]': ['conference_bridge'],
      },
      'incidents',
      incidentSchema,
      'list incidents',
    );
    warnPartial(read, 'incidents', listed);
    for (const i of listed.items) incidents.set(i.id, i);
  }

  // Incidents that were open at the last fetch and are not in this window (created before
  // it): read again by id so that their acknowledgement or resolution is caught.
  const reread = (last?.open ?? []).filter(id => !incidents.has(id));
  const rereadNow = reread.slice(0, MAX_REREAD);
  const stillUnread = reread.slice(MAX_REREAD);
  const gone = new Set<string>();
  const rereadFound = await getEachById(
    read,
    'incidents',
    rereadNow,
    incidentSchema,
    { 'include[]': ['conference_bridge'] },
  );
  for (const [id, incident] of rereadFound) {
    if (incident) incidents.set(id, incident);
    else gone.add(id);
  }

  // Log entries: of incidents that are open, changed since the last fetch, or were left over
  // last time; all of them on a full read.
  const sinceLast = (last?.to ?? 0) - CHANGE_SLACK_MS;
  const wanted = new Set<string>(last?.pendingLogs ?? []);
  for (const incident of incidents.values()) {
    if (
      full ||
      incident.status !== 'resolved' ||
      changedAt(incident) >= sinceLast
    ) {
      wanted.add(incident.id);
    }
  }
  const logIds = [...wanted].filter(id => !gone.has(id));
  const logNow = logIds.slice(0, settings.maxLogEntryIncidents);
  const logLater = logIds.slice(settings.maxLogEntryIncidents);
  if (logLater.length) {
    logger.warn(
      `PagerDuty service ${serviceId}: log entries of ${logLater.length} incident(s) are left for the next fetch (${settings.maxLogEntryIncidents} per fetch)`,
    );
  }
  return { incidents, logNow, logLater, stillUnread };
}

/** The log entries of the given incidents (none for an incident PagerDuty no longer has). */
export async function readLogEntries(
  read: ServiceRead,
  incidentIds: string[],
): Promise<LogEntry[]> {
  const { client, upstream } = read;
  const entries = await mapWithConcurrency(incidentIds, PARALLEL, async id => {
    const result = await client.list(
      upstream,
      `incidents/${encodeURIComponent(id)}/log_entries`,
      { is_overview: 'true', time_zone: 'UTC' },
      'log_entries',
      logEntrySchema,
      'list log entries',
      3,
      { allowNotFound: true },
    );
    warnPartial(read, `log entries of incident ${id}`, result);
    return result.items;
  });
  return entries.flat();
}
