import { useApi } from '@backstage/core-plugin-api';
import { ProjectView } from '@dash-suite/plugin-project-catalog-common';
import { useCallback, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { projectCatalogApiRef } from '../api';

type SaveListener = (view: ProjectView) => void;

/**
 * The writes made on this page, per entity: every card of one entity (overview, quick links,
 * recent changes) hears of a save made in another, so the next edit starts from the version
 * just written instead of running into a conflict with the user's own change.
 */
const saveListeners = new Map<string, Set<SaveListener>>();

function publishSave(entityRef: string, view: ProjectView) {
  for (const listener of saveListeners.get(entityRef) ?? []) listener(view);
}

/** Calls `onSave` with the view every write of `entityRef` on this page answered with. */
export function useProjectSaves(entityRef: string, onSave: SaveListener) {
  useEffect(() => {
    const set = saveListeners.get(entityRef) ?? new Set<SaveListener>();
    set.add(onSave);
    saveListeners.set(entityRef, set);
    return () => {
      set.delete(onSave);
      if (set.size === 0) saveListeners.delete(entityRef);
    };
  }, [entityRef, onSave]);
}

/**
 * The project of an entity as the Project Catalog backend sees it, and a way to put in the view
 * a write answered with, so the card shows the new values before the catalog has caught up (and
 * the entity's other cards get it too).
 */
export function useProject(entityRef: string) {
  const api = useApi(projectCatalogApiRef);
  const [saved, setSaved] = useState<ProjectView>();
  const state = useAsyncRetry(
    () => api.getProject(entityRef),
    [api, entityRef],
  );
  const view =
    saved && (!state.value || saved.version >= state.value.version)
      ? saved
      : state.value;
  const { retry } = state;
  const reload = useCallback(() => {
    setSaved(undefined);
    retry();
  }, [retry]);
  const adopt = useCallback(
    (next: ProjectView) =>
      setSaved(prev => (prev && prev.version > next.version ? prev : next)),
    [],
  );
  useProjectSaves(entityRef, adopt);
  const setView = useCallback(
    (next: ProjectView) => publishSave(entityRef, next),
    [entityRef],
  );
  return {
    view,
    loading: state.loading && !view,
    error: view ? undefined : state.error,
    reload,
    setView,
  };
}
