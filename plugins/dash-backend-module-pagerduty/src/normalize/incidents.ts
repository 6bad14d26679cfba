import { JsonValue } from '@backstage/types';
import { DashEvent, DashSeverity } from '@dash-suite/plugin-dash-common';
import { dashEventId, safeLink } from '@dash-suite/plugin-dash-node';
import { Incident, LogEntry, Reference } from '../schemas';
import { SOURCE_ID, actorOf, iso, uiLink } from './common';

/** Log entry types shown on the timeline (`<type>_log_entry`); the rest is noise (notify, assign). */
export const TIMELINE_LOG_ENTRY_TYPES = new Set([
  'trigger',
  'acknowledge',
  'unacknowledge',
  'escalate',
  'reassign',
  'resolve',
  'annotate',
]);

const isUser = (ref: Reference | null | undefined) =>
  Boolean(ref && (ref.type ?? '').startsWith('user'));

/**
 * Severity of an incident: from its priority when it has one named like P1..P5 or SEV1..SEV5,
 * else from its urgency (high = critical, low = warning).
 */
export function incidentSeverity(incident: Incident): DashSeverity {
  const priority = incident.priority?.name ?? incident.priority?.summary ?? '';
  const m = /^\s*(?:p|sev(?:erity)?[\s-]*)(\d)\b/i.exec(priority);
  if (m) {
    const level = Number(m[1]);
    if (level <= 1) return 'critical';
    if (level === 2) return 'error';
    if (level === 3) return 'warning';
    return 'info';
  }
  return incident.urgency === 'low' ? 'warning' : 'critical';
}

export function incidentEvent(
  incident: Incident,
  entityRef: string,
  uiBaseUrl: string | undefined,
): DashEvent | undefined {
  const startTime = iso(incident.created_at);
  if (!startTime) return undefined;
  const resolved = incident.status === 'resolved';
  const endTime = resolved
    ? iso(incident.resolved_at) ?? iso(incident.last_status_change_at)
    : undefined;
  const acknowledgers = (incident.acknowledgements ?? []).map(
    a => a.acknowledger,
  );
  const assignees = (incident.assignments ?? []).map(a => a.assignee);
  // Who is handling it: whoever acknowledged it last, else the assignee, else (for resolved
  // incidents, whose assignments PagerDuty clears) the user who changed its status last.
  const actorRef =
    acknowledgers[acknowledgers.length - 1] ??
    assignees[0] ??
    (isUser(incident.last_status_change_by)
      ? incident.last_status_change_by
      : undefined);

  const attributes: Record<string, JsonValue> = {
    incidentId: incident.id,
    urgency: incident.urgency ?? null,
    priority: incident.priority?.name ?? incident.priority?.summary ?? null,
  };
  if (
    incident.incident_number !== null &&
    incident.incident_number !== undefined
  )
    attributes.incidentNumber = incident.incident_number;
  if (incident.escalation_policy) {
    attributes.escalationPolicy =
      incident.escalation_policy.summary ?? incident.escalation_policy.id;
    attributes.escalationPolicyId = incident.escalation_policy.id;
  }
  if (incident.service) attributes.serviceId = incident.service.id;
  if (assignees.length)
    attributes.assignees = assignees.map(a => a.summary ?? a.id);
  if (acknowledgers.length)
    attributes.acknowledgers = acknowledgers.map(a => a.summary ?? a.id);
  if (incident.last_status_change_at)
    attributes.lastStatusChangeAt = incident.last_status_change_at;
  if (incident.description && incident.description !== incident.title)
    attributes.description = incident.description.slice(0, 2000);
  // Where the incident is discussed (a Slack channel, a web conference): http(s) only.
  const chatUrl = safeLink(incident.conference_bridge?.conference_url);
  if (chatUrl) attributes.chatUrl = chatUrl;

  const event: DashEvent = {
    id: dashEventId(SOURCE_ID, 'incident', incident.id),
    source: SOURCE_ID,
    kind: 'incident',
    title: incident.title ?? incident.summary ?? `Incident ${incident.id}`,
    severity: incidentSeverity(incident),
    startTime,
    entityRef,
    status: incident.status,
    attributes,
  };
  if (endTime) event.endTime = endTime;
  const actor = actorOf(actorRef);
  if (actor) event.actor = actor;
  const url =
    safeLink(incident.html_url) ??
    uiLink(uiBaseUrl, `incidents/${encodeURIComponent(incident.id)}`);
  if (url) event.url = url;
  return event;
}

/** `[#12] Title` (an incident reference's summary) to `Title`. */
function incidentTitleOf(ref: Reference | null | undefined): string {
  return (ref?.summary ?? '').replace(/^\[#\d+\]\s*/, '') || 'incident';
}

/**
 * A log entry as its own timeline event, of kind `annotation` (never a change, never a
 * problem): as `incident` every acknowledge and note would be a second problem for the
 * correlator and for the DORA figures.
 */
export function logEntryEvent(
  entry: LogEntry,
  entityRef: string,
  uiBaseUrl: string | undefined,
): DashEvent | undefined {
  const type = entry.type.replace(/_log_entry$/, '');
  if (!TIMELINE_LOG_ENTRY_TYPES.has(type)) return undefined;
  const startTime = iso(entry.created_at);
  if (!startTime) return undefined;
  const incidentTitle = incidentTitleOf(entry.incident);
  const agent = entry.agent?.summary;
  const assignees = (entry.assignees ?? [])
    .map(a => a.summary)
    .filter((s): s is string => Boolean(s));
  const note =
    type === 'annotate'
      ? entry.channel?.summary ?? entry.note ?? undefined
      : undefined;
  let title: string;
  switch (type) {
    case 'trigger':
      title = `Triggered: ${incidentTitle}`;
      break;
    case 'acknowledge':
      title = `Acknowledged${agent ? ` by ${agent}` : ''}: ${incidentTitle}`;
      break;
    case 'unacknowledge':
      title = `Acknowledgement timed out: ${incidentTitle}`;
      break;
    case 'escalate':
      title = `Escalated${
        assignees.length ? ` to ${assignees.join(', ')}` : ''
      }: ${incidentTitle}`;
      break;
    case 'reassign':
      title = `Reassigned${
        assignees.length ? ` to ${assignees.join(', ')}` : ''
      }: ${incidentTitle}`;
      break;
    case 'resolve':
      title = `Resolved${agent ? ` by ${agent}` : ''}: ${incidentTitle}`;
      break;
    default:
      title = `Note${agent ? ` by ${agent}` : ''}: ${
        note ?? entry.summary ?? ''
      }`;
  }
  const attributes: Record<string, JsonValue> = {
    logEntryType: type,
    isChange: false,
  };
  if (entry.incident) {
    attributes.incidentId = entry.incident.id;
    const number = /^\[#(\d+)\]/.exec(entry.incident.summary ?? '');
    if (number) attributes.incidentNumber = Number(number[1]);
  }
  if (entry.channel?.type) attributes.channel = entry.channel.type;
  if (note) attributes.note = note.slice(0, 2000);
  if (assignees.length) attributes.assignees = assignees;
  if (entry.summary) attributes.summary = entry.summary.slice(0, 500);

  const event: DashEvent = {
    id: dashEventId(SOURCE_ID, 'log-entry', entry.id),
    source: SOURCE_ID,
    kind: 'annotation',
    title,
    severity: type === 'trigger' || type === 'escalate' ? 'warning' : 'info',
    startTime,
    entityRef,
    status: type,
    attributes,
  };
  const actor = actorOf(entry.agent);
  if (actor) event.actor = actor;
  const url =
    safeLink(entry.html_url) ??
    safeLink(entry.incident?.html_url) ??
    (entry.incident
      ? uiLink(uiBaseUrl, `incidents/${encodeURIComponent(entry.incident.id)}`)
      : undefined);
  if (url) event.url = url;
  return event;
}
