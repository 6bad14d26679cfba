import {
  DASH_EVENT_KINDS,
  DASH_SEVERITIES,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import { safeLink } from '@dash-suite/plugin-dash-node';
import { stripNul } from '../../database/storableText';

/**
 * What a `dash_events` row can hold (see the migrations): an event id longer than its column
 * cannot be stored, and shortening it could merge two events into one, so such an event is
 * dropped; a title or status is cut to fit; a link that long is dropped (half a link is a wrong
 * link).
 */
export const EVENT_LIMITS = {
  id: 512,
  title: 500,
  status: 64,
  url: 4000,
} as const;

/** JSON deeper than this (in attributes and actor) is kept as it is, NUL characters and all. */
const MAX_CLEAN_DEPTH = 32;

const KINDS = new Set<string>(DASH_EVENT_KINDS);
const SEVERITIES = new Set<string>(DASH_SEVERITIES);

export interface SanitizeResult {
  /** The events that can be stored, cleaned. */
  events: DashEvent[];
  /** How many events were dropped, by reason. */
  dropped: Map<string, number>;
  /** How many events had a field shortened or a link removed. */
  shortened: number;
  /** One sentence for the feed's status and the log when something was dropped; else undefined. */
  problem?: string;
}

function cleanJson(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return stripNul(value);
  if (depth >= MAX_CLEAN_DEPTH || value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) return value.map(v => cleanJson(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[stripNul(k)] = cleanJson(v, depth + 1);
  }
  return out;
}

function reasonToDrop(e: DashEvent, id: string): string | undefined {
  if (!id) return 'no id';
  if (id.length > EVENT_LIMITS.id) {
    return `id longer than ${EVENT_LIMITS.id} characters`;
  }
  if (!KINDS.has(e.kind)) return 'unknown kind';
  const start = Date.parse(e.startTime);
  if (Number.isNaN(start)) return 'unreadable start time';
  if (e.endTime && Number.isNaN(Date.parse(e.endTime))) {
    return 'unreadable end time';
  }
  return undefined;
}

/**
 * Keeps what a source returned storable and honest, one event at a time, so that one bad event
 * never sinks the batch: the event belongs to the entity and source it was fetched for, has an
 * id that fits its column, a known kind, a known severity (else `info`) and parseable times;
 * text has no NUL characters; a title or status too long is shortened; links are http(s) only.
 * Events that cannot be stored are dropped and counted by reason.
 */
export function sanitizeEvents(
  events: DashEvent[],
  source: { id: string; title?: string },
  entityRef: string,
): SanitizeResult {
  const clean: DashEvent[] = [];
  const dropped = new Map<string, number>();
  let shortened = 0;
  const drop = (reason: string) =>
    dropped.set(reason, (dropped.get(reason) ?? 0) + 1);

  for (const e of events) {
    if (!e || typeof e !== 'object') {
      drop('not an event');
      continue;
    }
    const id = typeof e.id === 'string' ? stripNul(e.id) : '';
    const reason = reasonToDrop(e, id);
    if (reason) {
      drop(reason);
      continue;
    }
    const rawTitle = stripNul(String(e.title ?? ''));
    const rawStatus =
      typeof e.status === 'string' ? stripNul(e.status) : undefined;
    const rawUrl = typeof e.url === 'string' ? stripNul(e.url) : undefined;
    const url =
      rawUrl && rawUrl.length <= EVENT_LIMITS.url
        ? safeLink(rawUrl)
        : undefined;
    if (
      rawTitle.length > EVENT_LIMITS.title ||
      (rawStatus?.length ?? 0) > EVENT_LIMITS.status ||
      (rawUrl?.length ?? 0) > EVENT_LIMITS.url
    ) {
      shortened += 1;
    }
    const end = e.endTime ? Date.parse(e.endTime) : undefined;
    const event: DashEvent = {
      ...e,
      id,
      source: source.id,
      entityRef,
      title:
        rawTitle.slice(0, EVENT_LIMITS.title) ||
        id.slice(0, EVENT_LIMITS.title),
      severity: SEVERITIES.has(e.severity) ? e.severity : 'info',
      startTime: new Date(Date.parse(e.startTime)).toISOString(),
      endTime: end !== undefined ? new Date(end).toISOString() : undefined,
      status: rawStatus ? rawStatus.slice(0, EVENT_LIMITS.status) : undefined,
      url,
      attributes:
        e.attributes && typeof e.attributes === 'object'
          ? (cleanJson(e.attributes, 0) as DashEvent['attributes'])
          : {},
    };
    if (e.actor && typeof e.actor === 'object') {
      event.actor = cleanJson(e.actor, 0) as DashEvent['actor'];
    } else {
      delete event.actor;
    }
    clean.push(event);
  }

  const droppedCount = [...dropped.values()].reduce((a, b) => a + b, 0);
  const result: SanitizeResult = { events: clean, dropped, shortened };
  if (droppedCount > 0) {
    const reasons = [...dropped.entries()]
      .map(([why, n]) => `${why} (${n})`)
      .join(', ');
    result.problem = `Skipped ${droppedCount} of ${
      events.length
    } event(s) from ${
      source.title ?? source.id
    } that cannot be stored: ${reasons}`;
  }
  return result;
}
