import { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  MAX_STORED_EVENTS_READ,
  StoredEventsQuery,
} from '@dash-suite/plugin-dash-node';
import { EventStore } from '../EventStore/EventStore';

/**
 * `SourceContext.readStoredEvents`: what the other sources stored for the entity (never the
 * asking source's own events), at most MAX_STORED_EVENTS_READ.
 */
export async function readStoredEvents(
  events: EventStore,
  sourceId: string,
  entityRef: string,
  q: StoredEventsQuery,
): Promise<DashEvent[]> {
  const limit = Math.min(
    Math.max(1, Math.floor(q.limit ?? MAX_STORED_EVENTS_READ)),
    MAX_STORED_EVENTS_READ,
  );
  const fromMs = q.from.getTime();
  const toMs = q.to.getTime();
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs > toMs)
    return [];
  const sources = q.sources?.filter(s => s !== sourceId);
  if (q.sources && !sources?.length) return [];
  return events.query({
    entityRefs: [entityRef],
    fromMs,
    toMs,
    sources,
    excludeSources: [sourceId],
    kinds: q.kinds,
    limit,
  });
}
