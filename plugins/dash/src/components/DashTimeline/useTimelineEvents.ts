import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  DashEvent,
  DashTimelineResponse,
} from '@dash-suite/plugin-dash-common';
import { useCallback, useMemo } from 'react';
import {
  EventFilters,
  filterEvents,
  inWindow,
  ms,
  normalizeRef,
  sourceOrder,
} from '../../lib/events';
import { sourcePresentation } from '../../lib/presentation';

function entityName(ref: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'component' });
  } catch {
    return ref;
  }
}

/**
 * The answer's events as the timeline shows them: those in the window, those the filters keep,
 * newest first for the list, by id for the details, and one lane per source. Tells the shown
 * entities' events from their dependencies'.
 */
export function useTimelineEvents(options: {
  data?: DashTimelineResponse;
  entityRefs: string[];
  from: number;
  to: number;
  filters: EventFilters;
}) {
  const { data, entityRefs, from, to, filters } = options;
  const primary = useMemo(
    () =>
      new Set(
        (data?.entityRefs ?? entityRefs).concat(entityRefs).map(normalizeRef),
      ),
    [data?.entityRefs, entityRefs],
  );
  const isDependency = useCallback(
    (e: DashEvent) => !primary.has(normalizeRef(e.entityRef)),
    [primary],
  );
  const multipleEntities = entityRefs.length > 1;
  const entityNote = useCallback(
    (e: DashEvent) => {
      if (isDependency(e))
        return { label: entityName(e.entityRef), dependency: true };
      if (multipleEntities)
        return { label: entityName(e.entityRef), dependency: false };
      return undefined;
    },
    [isDependency, multipleEntities],
  );

  const windowEvents = useMemo(
    () => (data ? data.events.filter(e => inWindow(e, from, to)) : []),
    [data, from, to],
  );
  const filtered = useMemo(
    () => filterEvents(windowEvents, filters),
    [windowEvents, filters],
  );
  const listEvents = useMemo(
    () =>
      filtered
        .map(e => ({ e, t: ms(e.startTime) }))
        .sort((a, b) => b.t - a.t)
        .map(({ e }) => e),
    [filtered],
  );
  const listedIds = useMemo(
    () => new Set(listEvents.map(e => e.id)),
    [listEvents],
  );
  const eventsById = useMemo(() => {
    const map = new Map<string, DashEvent>();
    for (const e of data?.relatedEvents ?? []) map.set(e.id, e);
    for (const e of data?.events ?? []) map.set(e.id, e);
    return map;
  }, [data]);

  const lanes = useMemo(() => {
    const states = data?.sources ?? [];
    return sourceOrder(states, windowEvents).map(id => {
      const own = states.filter(s => s.id === id);
      return {
        id,
        title: sourcePresentation(id, own[0]?.title).title,
        states: own,
      };
    });
  }, [data?.sources, windowEvents]);

  return {
    isDependency,
    entityNote,
    multipleEntities,
    windowEvents,
    filtered,
    listEvents,
    listedIds,
    eventsById,
    lanes,
  };
}
