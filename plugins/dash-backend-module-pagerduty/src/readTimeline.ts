import { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  FetchEventsRequest,
  FetchEventsResult,
  readJsonCursor,
} from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import { changeEvent, incidentEvent, logEntryEvent } from './normalize';
import { readIncidents, readLogEntries } from './readIncidents';
import { readHandoffs } from './readOnCall';
import { changeEventSchema } from './schemas';
import { ServiceRead, warnPartial } from './serviceRead';

/** Incident ids kept in the cursor, so that it stays small. */
const MAX_CURSOR_IDS = 500;

const cursorSchema = z.object({
  v: z.literal(1),
  from: z.number(),
  to: z.number(),
  open: z.array(z.string()).max(MAX_CURSOR_IDS),
  pendingLogs: z.array(z.string()).max(MAX_CURSOR_IDS),
  policy: z
    .object({
      serviceId: z.string(),
      id: z.string().nullable(),
      at: z.number(),
    })
    .optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

/**
 * One fetch of a PagerDuty service's timeline: its incidents and their log entries, its change
 * events and the on-call hand-offs of its escalation policy, with the cursor the next fetch
 * continues from (incidents still open, log entries left over, the policy id).
 */
export async function readTimeline(
  read: ServiceRead,
  request: FetchEventsRequest,
): Promise<FetchEventsResult> {
  const { client, upstream, serviceId } = read;
  const ui = client.account.uiBaseUrl;
  const cursor = readJsonCursor(request.cursor, cursorSchema);
  const fromMs = request.from.getTime();
  const toMs = request.to.getTime();
  // A window reaching further back than the last fetch is read in full.
  const full = !cursor || fromMs < cursor.from;

  const { incidents, logNow, logLater, stillUnread } = await readIncidents(
    read,
    { fromMs, toMs },
    cursor,
    full,
  );
  const [logEntries, changes, handoffs] = await Promise.all([
    readLogEntries(read, logNow),
    client.list(
      upstream,
      `services/${encodeURIComponent(serviceId)}/change_events`,
      { since: request.from.toISOString(), until: request.to.toISOString() },
      'change_events',
      changeEventSchema,
      'list change events',
    ),
    readHandoffs(read, cursor?.policy, request),
  ]);
  warnPartial(read, 'change events', changes);

  const events: DashEvent[] = [];
  for (const incident of incidents.values()) {
    const e = incidentEvent(incident, request.entityRef, ui);
    if (e) events.push(e);
  }
  for (const entry of logEntries) {
    const e = logEntryEvent(entry, request.entityRef, ui);
    if (e) events.push(e);
  }
  for (const change of changes.items) {
    const e = changeEvent(change, request.entityRef, ui, serviceId);
    if (e) events.push(e);
  }
  events.push(...handoffs.events);

  const open = [
    ...[...incidents.values()]
      .filter(i => i.status !== 'resolved')
      .map(i => i.id),
    ...stillUnread,
  ];
  const next: Cursor = {
    v: 1,
    from: cursor && !full ? Math.min(cursor.from, fromMs) : fromMs,
    to: toMs,
    open: [...new Set(open)].slice(0, MAX_CURSOR_IDS),
    pendingLogs: logLater.slice(0, MAX_CURSOR_IDS),
    ...(handoffs.policy ? { policy: handoffs.policy } : {}),
  };
  return { events, cursor: JSON.stringify(next) };
}
