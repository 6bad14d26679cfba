import { useApi } from '@backstage/core-plugin-api';
import { ProjectView } from '@dash-suite/plugin-project-catalog-common';
import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { projectCatalogApiRef } from '../api';

/**
 * The project of an entity as the Project Catalog backend sees it, and a way to put in the view
 * a write answered with, so the card shows the new values before the catalog has caught up.
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
  return {
    view,
    loading: state.loading && !view,
    error: view ? undefined : state.error,
    reload,
    setView: setSaved,
  };
}
