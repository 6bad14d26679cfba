import type {
  DashEvent,
  DashSeverity,
  DashSourceState,
} from '@dash-suite/plugin-dash-common';
import { DASH_SEVERITIES } from '@dash-suite/plugin-dash-common';

export interface EventFilters {
  sources: string[];
  kinds: string[];
  severities: string[];
  q: string;
}

export const NO_FILTERS: EventFilters = {
  sources: [],
  kinds: [],
  severities: [],
  q: '',
};

export function hasFilters(f: EventFilters): boolean {
  return (
    f.sources.length > 0 ||
    f.kinds.length > 0 ||
    f.severities.length > 0 ||
    f.q.trim().length > 0
  );
}

/** Entity refs compare case-insensitively in Backstage. */
export function normalizeRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/** Milliseconds of an ISO time; NaN when unparseable. */
export function ms(iso: string): number {
  return Date.parse(iso);
}

/**
 * Events that overlap [from, to]: an event without an end is a point in time; one with an end
 * is shown while it lasts. Used to clip what is already loaded while a zoomed window loads.
 */
export function inWindow(e: DashEvent, from: number, to: number): boolean {
  const start = ms(e.startTime);
  const end = e.endTime ? ms(e.endTime) : start;
  return start <= to && end >= from;
}

/** Applies source, kind, severity and text filters. An empty list means "all". */
export function filterEvents(
  events: DashEvent[],
  f: EventFilters,
): DashEvent[] {
  const sources = f.sources.length ? new Set(f.sources) : undefined;
  const kinds = f.kinds.length ? new Set(f.kinds) : undefined;
  const severities = f.severities.length ? new Set(f.severities) : undefined;
  const words = f.q.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return events.filter(e => {
    if (sources && !sources.has(e.source)) return false;
    if (kinds && !kinds.has(e.kind)) return false;
    if (severities && !severities.has(e.severity)) return false;
    if (words.length) {
      const title = e.title.toLocaleLowerCase();
      if (!words.every(w => title.includes(w))) return false;
    }
    return true;
  });
}

export interface Bucket {
  start: number;
  end: number;
  count: number;
  bySeverity: Record<DashSeverity, number>;
}

/**
 * Counts events per time bucket (by start time), split by severity: the histogram draws at most
 * `bucketCount` × 4 bars however many events there are.
 */
export function bucketEvents(
  events: DashEvent[],
  from: number,
  to: number,
  bucketCount: number,
): { buckets: Bucket[]; max: number } {
  const span = to - from;
  const width = span / bucketCount;
  const buckets: Bucket[] = [];
  for (let i = 0; i < bucketCount; i++) {
    buckets.push({
      start: from + i * width,
      end: from + (i + 1) * width,
      count: 0,
      bySeverity: { critical: 0, error: 0, warning: 0, info: 0 },
    });
  }
  if (!(span > 0)) return { buckets, max: 0 };
  let max = 0;
  for (const e of events) {
    const t = ms(e.startTime);
    if (!(t >= from && t <= to)) continue;
    const i = Math.min(bucketCount - 1, Math.floor((t - from) / width));
    const b = buckets[i];
    b.count += 1;
    const sev = (DASH_SEVERITIES as readonly string[]).includes(e.severity)
      ? e.severity
      : 'info';
    b.bySeverity[sev] += 1;
    if (b.count > max) max = b.count;
  }
  return { buckets, max };
}

/** Source ids in a stable order: those with a state first (as the backend lists them), then the rest. */
export function sourceOrder(
  states: DashSourceState[],
  events: DashEvent[],
): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const s of states) {
    if (!seen.has(s.id)) {
      seen.add(s.id);
      ids.push(s.id);
    }
  }
  for (const e of events) {
    if (!seen.has(e.source)) {
      seen.add(e.source);
      ids.push(e.source);
    }
  }
  return ids;
}

/** How many events there are of each value of a field, for the filter chips. */
export function countBy<K extends keyof DashEvent>(
  events: DashEvent[],
  key: K,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    const v = String(e[key]);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}
