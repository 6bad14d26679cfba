import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { EventFilters } from '../lib/events';

export type TimelineView = 'lanes' | 'list';

/** The view, as read from the query string, so that a pasted link opens the same view. */
export interface TimelineUrlState {
  /** Window bounds in ms; undefined when the link names none. */
  from?: number;
  to?: number;
  /** True when the link named a window that cannot be used (unparseable, or from ≥ to). */
  invalidWindow: boolean;
  filters: EventFilters;
  /** Selected event id. */
  event?: string;
  view: TimelineView;
  /** Include the dependencies' events (`deps=1`). */
  deps: boolean;
  /**
   * Live mode (`live=1`): the window follows now, a polling clock reloads it, and the backend is
   * asked for fresher data. Named after its query parameter, so that links keep working.
   */
  live: boolean;
}

/** Query parameter names; documented in the README. */
export const TIMELINE_PARAMS = {
  from: 'from',
  to: 'to',
  sources: 'sources',
  kinds: 'kinds',
  severities: 'severity',
  q: 'q',
  event: 'event',
  view: 'view',
  deps: 'deps',
  live: 'live',
} as const;
export type TimelineParam = keyof typeof TIMELINE_PARAMS;

/** ISO 8601 without milliseconds when they are zero: `2026-03-03T14:00:00Z`. */
export function isoParam(t: number): string {
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

function list(sp: URLSearchParams, name: string): string[] {
  return sp
    .getAll(name)
    .flatMap(v => v.split(','))
    .map(v => v.trim())
    .filter(Boolean);
}

export function parseTimelineParams(sp: URLSearchParams): TimelineUrlState {
  const rawFrom = sp.get(TIMELINE_PARAMS.from);
  const rawTo = sp.get(TIMELINE_PARAMS.to);
  let from: number | undefined = rawFrom ? Date.parse(rawFrom) : undefined;
  let to: number | undefined = rawTo ? Date.parse(rawTo) : undefined;
  let invalidWindow = false;
  if (rawFrom || rawTo) {
    if (
      from === undefined ||
      to === undefined ||
      Number.isNaN(from) ||
      Number.isNaN(to) ||
      from >= to
    ) {
      invalidWindow = true;
      from = undefined;
      to = undefined;
    }
  }
  const flag = (name: string) => {
    const v = sp.get(name);
    return v === '1' || v === 'true';
  };
  return {
    from,
    to,
    invalidWindow,
    filters: {
      sources: list(sp, TIMELINE_PARAMS.sources),
      kinds: list(sp, TIMELINE_PARAMS.kinds),
      severities: list(sp, TIMELINE_PARAMS.severities),
      q: sp.get(TIMELINE_PARAMS.q) ?? '',
    },
    event: sp.get(TIMELINE_PARAMS.event) || undefined,
    view: sp.get(TIMELINE_PARAMS.view) === 'list' ? 'list' : 'lanes',
    deps: flag(TIMELINE_PARAMS.deps),
    live: flag(TIMELINE_PARAMS.live),
  };
}

export type TimelinePatch = Partial<
  Record<TimelineParam, string | string[] | number | boolean | undefined>
>;

/** Writes a patch over the current query string, leaving parameters it does not name alone. */
export function applyTimelinePatch(
  prev: URLSearchParams,
  patch: TimelinePatch,
): URLSearchParams {
  const next = new URLSearchParams(prev);
  for (const [key, value] of Object.entries(patch) as [
    TimelineParam,
    TimelinePatch[TimelineParam],
  ][]) {
    const name = TIMELINE_PARAMS[key];
    next.delete(name);
    if (value === undefined || value === false || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) next.set(name, value.join(','));
    } else if (value === true) {
      next.set(name, '1');
    } else if (typeof value === 'number') {
      next.set(name, isoParam(value));
    } else {
      next.set(name, value);
    }
  }
  return next;
}

/**
 * The timeline's state in the URL. `update` merges one patch per user action (a window change
 * adds a history entry so Back undoes a zoom; everything else replaces the current entry).
 */
export function useTimelineUrlState() {
  const [searchParams, setSearchParams] = useSearchParams();
  const state = useMemo(
    () => parseTimelineParams(searchParams),
    [searchParams],
  );
  const update = useCallback(
    (patch: TimelinePatch, options?: { replace?: boolean }) => {
      setSearchParams(prev => applyTimelinePatch(prev, patch), {
        replace: options?.replace ?? true,
      });
    },
    [setSearchParams],
  );
  return { state, update };
}
