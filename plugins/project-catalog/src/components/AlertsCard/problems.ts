import {
  DASH_SEVERITIES,
  DashEvent,
  DashSourceState,
} from '@dash-suite/plugin-dash-common';

/** The source whose incidents the card lists (the PagerDuty module's source id). */
export const INCIDENT_SOURCE = 'pagerduty';

/** Something wrong right now, and the id of its event on the DASH timeline when it has one. */
export interface Problem {
  event: DashEvent;
  /** The timeline event to select in the DASH tab; undefined when none matches yet. */
  timelineId?: string;
}

const RESOLVED = new Set(['resolved', 'closed', 'ended', 'recovered']);

/** Incidents that are still open: not resolved and without an end. */
export function openIncidents(events: DashEvent[]): DashEvent[] {
  return events.filter(
    e =>
      e.kind === 'incident' &&
      !e.endTime &&
      !RESOLVED.has(String(e.status).toLowerCase()),
  );
}

/**
 * The timeline event of a firing alert. Some sources give a firing alert the same id as its
 * timeline episode; Grafana's firing alerts (`grafana:firing:<fingerprint>`) differ from their
 * episodes (`grafana:alert:<rule>:…`), so those are matched by source and rule, the open
 * episode that started closest to the alert.
 */
export function timelineMatch(
  alert: DashEvent,
  timeline: DashEvent[],
): DashEvent | undefined {
  const same = timeline.find(e => e.id === alert.id);
  if (same) return same;
  const rule = alert.attributes.ruleUid;
  if (rule === undefined || rule === null) return undefined;
  const start = Date.parse(alert.startTime);
  return timeline
    .filter(
      e =>
        e.kind === 'alert' &&
        e.source === alert.source &&
        e.attributes.ruleUid === rule &&
        !e.endTime,
    )
    .sort(
      (a, b) =>
        Math.abs(Date.parse(a.startTime) - start) -
        Math.abs(Date.parse(b.startTime) - start),
    )[0];
}

const rank = (e: DashEvent) => {
  const i = (DASH_SEVERITIES as readonly string[]).indexOf(e.severity);
  return i < 0 ? DASH_SEVERITIES.length : i;
};

/**
 * Firing alerts and open incidents, each once (an id seen twice is one problem), most severe
 * first and, within a severity, the newest first.
 */
export function problemsOf(
  alerts: DashEvent[],
  timeline: DashEvent[],
): Problem[] {
  const byId = new Map<string, Problem>();
  for (const alert of alerts) {
    byId.set(alert.id, {
      event: alert,
      timelineId: timelineMatch(alert, timeline)?.id,
    });
  }
  for (const incident of openIncidents(timeline)) {
    if (!byId.has(incident.id)) {
      byId.set(incident.id, { event: incident, timelineId: incident.id });
    }
  }
  return [...byId.values()].sort(
    (a, b) =>
      rank(a.event) - rank(b.event) ||
      Date.parse(b.event.startTime) - Date.parse(a.event.startTime),
  );
}

/** The source states that matter here: those of `/alerts`, and the incident source's. */
export function relevantSources(
  alertSources: DashSourceState[],
  timelineSources: DashSourceState[],
): DashSourceState[] {
  const seen = new Set(alertSources.map(s => s.id));
  return [
    ...alertSources,
    ...timelineSources.filter(s => s.id === INCIDENT_SOURCE && !seen.has(s.id)),
  ];
}
