import { JsonValue } from '@backstage/types';
import {
  DashActor,
  DashEvent,
  DashOnCallEntry,
} from '@dash-suite/plugin-dash-common';
import { dashEventId, safeLink } from '@dash-suite/plugin-dash-node';
import { OnCall } from '../schemas';
import { SOURCE_ID, iso, uiLink } from './common';

/** The shift's schedule in PagerDuty: its own link, else one built from the UI base URL. */
function scheduleLink(o: OnCall, uiBaseUrl: string | undefined) {
  return (
    safeLink(o.schedule?.html_url) ??
    (o.schedule?.id
      ? uiLink(uiBaseUrl, `schedules/${encodeURIComponent(o.schedule.id)}`)
      : undefined)
  );
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
    const url = scheduleLink(o, uiBaseUrl) ?? userUrl;
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
      scheduleLink(o, uiBaseUrl) ??
      safeLink(o.escalation_policy?.html_url) ??
      userUrl;
    if (url) entry.url = url;
    entries.push(entry);
  }
  return entries;
}
