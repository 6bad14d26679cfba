import { JsonValue } from '@backstage/types';
import {
  DASH_CHANGE_TYPES,
  DashActor,
  DashEvent,
  DashOnCallEntry,
  DashSeverity,
} from '@dash-suite/plugin-dash-common';
import { dashEventId, safeLink } from '@dash-suite/plugin-dash-node';
import { ChangeEvent, Incident, LogEntry, OnCall, Reference } from './schemas';

export const SOURCE_ID = 'pagerduty';

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

function iso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Links built from the configured UI base URL when the API gave none. */
function uiLink(uiBaseUrl: string | undefined, path: string) {
  return uiBaseUrl ? safeLink(`${uiBaseUrl}/${path}`) : undefined;
}

function actorOf(ref: Reference | null | undefined): DashActor | undefined {
  if (!ref?.summary) return undefined;
  const actor: DashActor = { name: ref.summary };
  const url = safeLink(ref.html_url);
  if (url) actor.url = url;
  return actor;
}

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

const CHANGE_TYPES = new Set<string>(DASH_CHANGE_TYPES);

function detail(
  details: Record<string, unknown> | null | undefined,
  ...keys: string[]
): string | undefined {
  for (const key of keys) {
    const value = details?.[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

function truthy(value: unknown): boolean {
  return (
    value === true ||
    (typeof value === 'string' && /^(true|yes|1)$/i.test(value))
  );
}

/** Keeps JSON values only (custom details are arbitrary JSON), bounded in size. */
function jsonOnly(value: unknown, depth = 0): JsonValue | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 1000);
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (depth > 3) return undefined;
  if (Array.isArray(value)) {
    return value
      .slice(0, 50)
      .map(v => jsonOnly(v, depth + 1))
      .filter((v): v is JsonValue => v !== undefined);
  }
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value as object).slice(0, 50)) {
      const j = jsonOnly(v, depth + 1);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return undefined;
}

/**
 * A change event (deploys, config changes posted to PagerDuty by CI/CD): kind `change`, with
 * `changeType` from its custom details (`change_type`, `changeType` or `type`, when it is one of
 * DASH's change types) or `other`.
 */
export function changeEvent(
  change: ChangeEvent,
  entityRef: string,
  uiBaseUrl: string | undefined,
  serviceId: string,
): DashEvent | undefined {
  const startTime = iso(change.timestamp);
  if (!startTime) return undefined;
  const details = change.custom_details ?? undefined;
  const declared = detail(details, 'change_type', 'changeType', 'type')
    ?.toLocaleLowerCase('en-US')
    .replace(/[_ ]/g, '-');
  const changeType =
    declared && CHANGE_TYPES.has(declared) ? declared : 'other';
  const attributes: Record<string, JsonValue> = { changeType };
  if (change.source) attributes.changeSource = change.source;
  const environment = detail(details, 'environment', 'env');
  if (environment) attributes.environment = environment;
  const version = detail(details, 'version', 'release', 'tag');
  if (version) attributes.version = version;
  if (changeType === 'rollback' || truthy(details?.rollback))
    attributes.rollback = true;
  const links = (change.links ?? [])
    .map(l => ({ href: safeLink(l.href), text: l.text ?? undefined }))
    .filter((l): l is { href: string; text: string | undefined } =>
      Boolean(l.href),
    );
  if (links.length)
    attributes.links = links.map(l => ({
      href: l.href,
      ...(l.text ? { text: l.text } : {}),
    }));
  const custom = jsonOnly(details);
  if (custom && typeof custom === 'object' && !Array.isArray(custom))
    attributes.customDetails = custom;

  const event: DashEvent = {
    id: dashEventId(SOURCE_ID, 'change', change.id),
    source: SOURCE_ID,
    kind: 'change',
    title: change.summary ?? `Change ${change.id}`,
    severity: 'info',
    startTime,
    entityRef,
    status: 'success',
    attributes,
  };
  const actor = detail(details, 'actor', 'user', 'author', 'triggered_by');
  if (actor) event.actor = { name: actor };
  const url =
    links[0]?.href ??
    uiLink(
      uiBaseUrl,
      `service-directory/${encodeURIComponent(serviceId)}/activity`,
    );
  if (url) event.url = url;
  return event;
}

/**
 * On-call hand-offs from `/oncalls` over the window: every level-1 shift that starts inside
 * (from, to] is a hand-off to its user from whoever held the same schedule before. Shifts that
 * start exactly at `from` are skipped: PagerDuty may clip on-call spans to the asked range.
 */
export function handoffEvents(
  oncalls: OnCall[],
  entityRef: string,
  window: { from: Date; to: Date },
  uiBaseUrl: string | undefined,
): DashEvent[] {
  const level1 = oncalls
    .filter(o => o.escalation_level === 1 && o.start)
    .map(o => ({ o, startMs: Date.parse(o.start!) }))
    .filter(x => !Number.isNaN(x.startMs))
    .sort((a, b) => a.startMs - b.startMs);
  const events: DashEvent[] = [];
  const seen = new Set<string>();
  for (const { o, startMs } of level1) {
    if (startMs <= window.from.getTime() || startMs > window.to.getTime())
      continue;
    const target = o.schedule?.id ?? `user-${o.user.id}`;
    const policyId = o.escalation_policy?.id ?? 'policy';
    const id = dashEventId(
      SOURCE_ID,
      'oncall',
      policyId,
      target,
      Math.floor(startMs / 1000),
    );
    if (seen.has(id)) continue;
    seen.add(id);
    const previous = level1
      .filter(
        x =>
          x.o !== o &&
          (x.o.schedule?.id ?? `user-${x.o.user.id}`) === target &&
          x.startMs < startMs &&
          (!x.o.end || Date.parse(x.o.end) >= startMs - 1000),
      )
      .pop();
    const name = o.user.name ?? o.user.summary ?? o.user.id;
    const scheduleName = o.schedule?.summary ?? undefined;
    const previousName = previous
      ? previous.o.user.name ?? previous.o.user.summary ?? previous.o.user.id
      : undefined;
    const attributes: Record<string, JsonValue> = {
      escalationLevel: 1,
      userId: o.user.id,
    };
    if (scheduleName) attributes.schedule = scheduleName;
    if (o.schedule?.id) attributes.scheduleId = o.schedule.id;
    if (o.escalation_policy) {
      attributes.escalationPolicy =
        o.escalation_policy.summary ?? o.escalation_policy.id;
      attributes.escalationPolicyId = o.escalation_policy.id;
    }
    if (previousName && previousName !== name)
      attributes.previousUser = previousName;
    const shiftEnd = iso(o.end);
    if (shiftEnd) attributes.shiftEnd = shiftEnd;

    const actor: DashActor = { name };
    if (o.user.email) actor.email = o.user.email;
    const userUrl = safeLink(o.user.html_url);
    if (userUrl) actor.url = userUrl;
    const event: DashEvent = {
      id,
      source: SOURCE_ID,
      kind: 'on-call-handoff',
      title:
        previousName && previousName !== name
          ? `${name} takes over on call from ${previousName}${
              scheduleName ? ` (${scheduleName})` : ''
            }`
          : `${name} on call${scheduleName ? ` (${scheduleName})` : ''}`,
      severity: 'info',
      startTime: new Date(startMs).toISOString(),
      entityRef,
      actor,
      attributes,
    };
    const url =
      safeLink(o.schedule?.html_url) ??
      (o.schedule?.id
        ? uiLink(uiBaseUrl, `schedules/${encodeURIComponent(o.schedule.id)}`)
        : undefined) ??
      userUrl;
    if (url) event.url = url;
    events.push(event);
  }
  return events;
}

/** Who is on call now, one entry per (level, user, schedule), lowest level first. */
export function onCallEntries(
  oncalls: OnCall[],
  entityRef: string,
  users: Map<string, { name?: string; email?: string; url?: string }>,
  uiBaseUrl: string | undefined,
): DashOnCallEntry[] {
  const entries: DashOnCallEntry[] = [];
  const seen = new Set<string>();
  for (const o of [...oncalls].sort(
    (a, b) => a.escalation_level - b.escalation_level,
  )) {
    const key = `${o.escalation_level}|${o.user.id}|${o.schedule?.id ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const more = users.get(o.user.id);
    const user: DashActor = {
      name: o.user.name ?? more?.name ?? o.user.summary ?? o.user.id,
    };
    const email = o.user.email ?? more?.email;
    if (email) user.email = email;
    const userUrl = safeLink(o.user.html_url) ?? more?.url;
    if (userUrl) user.url = userUrl;
    const entry: DashOnCallEntry = {
      source: SOURCE_ID,
      entityRef,
      escalationLevel: o.escalation_level,
      user,
    };
    const schedule =
      o.schedule?.summary ?? o.escalation_policy?.summary ?? undefined;
    if (schedule) entry.schedule = schedule;
    const start = iso(o.start);
    const end = iso(o.end);
    if (start) entry.start = start;
    if (end) entry.end = end;
    const url =
      safeLink(o.schedule?.html_url) ??
      (o.schedule?.id
        ? uiLink(uiBaseUrl, `schedules/${encodeURIComponent(o.schedule.id)}`)
        : undefined) ??
      safeLink(o.escalation_policy?.html_url) ??
      userUrl;
    if (url) entry.url = url;
    entries.push(entry);
  }
  return entries;
}
