import { useApi } from '@backstage/core-plugin-api';
import type {
  DashSourceState,
  DashTimelineResponse,
} from '@dash-suite/plugin-dash-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { dashApiRef } from '../api';
import { kindLabel, sourcePresentation } from '../lib/presentation';

export interface TimelineRequest {
  entityRefs: string[];
  from: number;
  to: number;
  includeDependencies: boolean;
  /**
   * Asks the backend for fresher data (`live=true`: feeds older than
   * `dash.refresh.liveFreshnessSeconds` count as stale); set in live mode.
   */
  liveFreshness?: boolean;
  /**
   * With `liveFreshness`: this view listens for the backend's timeline signals (`push=true`:
   * the backend keeps the entities' feeds fresh and signals new events).
   */
  push?: boolean;
}

export interface TimelineResult {
  data?: DashTimelineResponse;
  /** The request for the current window failed: the whole view shows the error. */
  error?: Error;
  /** A request is in flight. */
  loading: boolean;
  /** A live update failed; the last good answer stays on screen. */
  updateError?: Error;
  /** Events that arrived with the latest live update, highlighted for a while. */
  newIds: ReadonlySet<string>;
  /** Said politely to screen readers when live updates bring events. */
  announcement: string;
  reload(): void;
  /** Puts the states a refresh answered with over the current ones. */
  mergeSources(states: DashSourceState[]): void;
}

/** How long newly arrived events stay highlighted. */
export const NEW_EVENT_HIGHLIGHT_MS = 10_000;

const EMPTY = new Set<string>();

/**
 * Loads the timeline for a window. `pollTick` changes with every tick of the polling clock: a request caused by a
 * tick keeps the old answer on screen while it runs, and compares the answer with the previous one
 * to find the events that arrived.
 */
export function useTimeline(
  request: TimelineRequest,
  pollTick: number,
): TimelineResult {
  const api = useApi(dashApiRef);
  const [data, setData] = useState<DashTimelineResponse>();
  const [error, setError] = useState<Error>();
  const [updateError, setUpdateError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [newIds, setNewIds] = useState<ReadonlySet<string>>(EMPTY);
  const [announcement, setAnnouncement] = useState('');
  const [reloads, setReloads] = useState(0);
  const requestId = useRef(0);
  const lastTick = useRef(pollTick);
  const dataRef = useRef<DashTimelineResponse>();
  dataRef.current = data;

  const refsKey = request.entityRefs.join('\n');
  useEffect(() => {
    const id = ++requestId.current;
    const isTick = lastTick.current !== pollTick;
    lastTick.current = pollTick;
    const previous = dataRef.current;
    setLoading(true);
    api
      .getTimeline({
        entityRefs: refsKey.split('\n').filter(Boolean),
        from: new Date(request.from),
        to: new Date(request.to),
        includeDependencies: request.includeDependencies,
        ...(request.liveFreshness ? { live: true } : {}),
        ...(request.liveFreshness && request.push ? { push: true } : {}),
      })
      .then(res => {
        if (id !== requestId.current) return;
        if (isTick && previous) {
          const known = new Set(previous.events.map(e => e.id));
          const arrived = res.events.filter(e => !known.has(e.id));
          if (arrived.length) {
            setNewIds(new Set(arrived.map(e => e.id)));
            const names = arrived
              .slice(-3)
              .reverse()
              .map(
                e =>
                  `${sourcePresentation(e.source).title} ${kindLabel(
                    e.kind,
                  ).toLocaleLowerCase()}: ${e.title}`,
              );
            setAnnouncement(
              `${arrived.length} new ${
                arrived.length === 1 ? 'event' : 'events'
              }: ${names.join('; ')}${arrived.length > 3 ? '; …' : ''}`,
            );
          }
        }
        setData(res);
        setError(undefined);
        setUpdateError(undefined);
        setLoading(false);
      })
      .catch((e: Error) => {
        if (id !== requestId.current) return;
        if (isTick && previous) {
          setUpdateError(e);
        } else {
          setError(e);
        }
        setLoading(false);
      });
  }, [
    api,
    refsKey,
    request.from,
    request.to,
    request.includeDependencies,
    request.liveFreshness,
    request.push,
    pollTick,
    reloads,
  ]);

  // Newly arrived events are highlighted briefly, then look like the rest.
  useEffect(() => {
    if (!newIds.size) return undefined;
    const timer = setTimeout(() => setNewIds(EMPTY), NEW_EVENT_HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [newIds]);

  const reload = useCallback(() => setReloads(n => n + 1), []);
  const mergeSources = useCallback((states: DashSourceState[]) => {
    setData(current => {
      if (!current) return current;
      const key = (s: DashSourceState) => `${s.id}\n${s.entityRef}`;
      const byKey = new Map(states.map(s => [key(s), s]));
      const merged = current.sources.map(s => byKey.get(key(s)) ?? s);
      const known = new Set(current.sources.map(key));
      for (const s of states) if (!known.has(key(s))) merged.push(s);
      return { ...current, sources: merged };
    });
  }, []);

  return {
    data,
    error,
    loading,
    updateError,
    newIds,
    announcement,
    reload,
    mergeSources,
  };
}
