import { DashEvent, MINUTE_MS } from '@dash-suite/plugin-dash-common';
import { Timed } from './changes';

/*
 * Signs of trouble, and when a run of them began: the correlator's vocabulary for onsets.
 */

/** A sign of trouble with the time span it covers. */
export interface Signal extends Timed {
  /** End of the span; Infinity while it is still open (a firing alert, an open incident). */
  end: number;
}

/** A point signal (an annotation, a log spike without an end) covers this long. */
export const POINT_SPAN_MS = 10 * MINUTE_MS;
/** Two signals this close (end of one to start of the next) are one run of trouble. */
export const CONTINUITY_GAP_MS = 15 * MINUTE_MS;
/**
 * Episodes of one alert rule this close are one growing signal (a memory or queue-depth alert
 * that fires, clears and fires again as the value climbs).
 */
export const SERIES_GAP_MS = 6 * 60 * MINUTE_MS;

const TROUBLE_TAGS = /^(error|errors|outage|incident|degraded|degradation)$/i;

/** Is this event a sign that something is wrong (not a change, not routine information)? */
export function isTrouble(e: DashEvent): boolean {
  switch (e.kind) {
    case 'incident':
    case 'log-spike':
    case 'pod-trouble':
      return true;
    case 'alert':
      return e.severity !== 'info';
    case 'annotation': {
      if (e.severity === 'error' || e.severity === 'critical') return true;
      const tags = e.attributes.tags;
      return (
        Array.isArray(tags) && tags.some(t => TROUBLE_TAGS.test(String(t)))
      );
    }
    default:
      return false;
  }
}

export function toSignal(item: Timed): Signal {
  const { e, t } = item;
  const end = e.endTime ? Date.parse(e.endTime) : NaN;
  if (!Number.isNaN(end)) return { ...item, end: Math.max(end, t) };
  const open =
    (e.kind === 'alert' && e.status === 'firing') ||
    (e.kind === 'incident' && e.status !== 'resolved');
  return { ...item, end: open ? Infinity : t + POINT_SPAN_MS };
}

/** Which growing signal an alert belongs to: its rule, else its name; undefined for others. */
export function seriesKey(e: DashEvent): string | undefined {
  if (e.kind !== 'alert') return undefined;
  const rule = e.attributes.ruleUid;
  if (typeof rule === 'string' && rule) return `rule:${rule}`;
  const labels = e.attributes.labels;
  const name =
    labels && typeof labels === 'object' && !Array.isArray(labels)
      ? labels.alertname
      : undefined;
  if (typeof name === 'string' && name) return `name:${name}`;
  // Titles of one rule differ in the numbers they quote ("Memory at 71%", "Memory at 84%").
  return `title:${e.title
    .toLocaleLowerCase('en-US')
    .replace(/[\d.,%]+/g, '#')
    .replace(/\s+/g, ' ')
    .trim()}`;
}

/** A run of trouble on one entity that leads into a moment. */
export interface Run {
  /** When it began. */
  start: number;
  /** Its signals, oldest first. */
  signals: Signal[];
}

/**
 * Walks back from `at` through the entity's signals (sorted by time) while each one runs into
 * the next: it is still on within the continuity gap of the run's start, or it is an earlier
 * episode of an alert already in the run. Looks no further back than `maxLeadMs`, nor past the
 * end of an incident resolved before `at`.
 */
export function runInto(
  signals: Signal[],
  at: number,
  options: {
    maxLeadMs: number;
    /** Not part of the run (the problem itself). */
    excludeId?: string;
    /** Series the run starts with (the problem's own rule). */
    seedSeries?: string;
  },
): Run {
  // An incident resolved before the moment closed the trouble before it: a run never reaches
  // back past its end.
  let floor = at - options.maxLeadMs;
  for (const s of signals) {
    if (
      s.e.kind === 'incident' &&
      s.e.id !== options.excludeId &&
      s.end <= at &&
      s.e.status === 'resolved'
    )
      floor = Math.max(floor, s.end);
  }
  const pool = signals.filter(
    s => s.t < at && s.t >= floor && s.e.id !== options.excludeId,
  );
  const series = new Map<string, number>();
  if (options.seedSeries) series.set(options.seedSeries, at);
  let start = at;
  const run: Signal[] = [];
  const taken = new Set<Signal>();
  for (let grew = true; grew; ) {
    grew = false;
    for (let i = pool.length - 1; i >= 0; i--) {
      const s = pool[i];
      if (taken.has(s) || s.t >= start) continue;
      const key = seriesKey(s.e);
      const seriesStart = key ? series.get(key) : undefined;
      const touches = s.end >= start - CONTINUITY_GAP_MS;
      const sameSeries =
        seriesStart !== undefined && seriesStart - s.end <= SERIES_GAP_MS;
      if (!touches && !sameSeries) continue;
      taken.add(s);
      run.push(s);
      start = Math.min(start, s.t);
      if (key) series.set(key, Math.min(seriesStart ?? Infinity, s.t));
      grew = true;
    }
  }
  run.sort((a, b) => a.t - b.t || a.e.id.localeCompare(b.e.id));
  return { start, signals: run };
}
