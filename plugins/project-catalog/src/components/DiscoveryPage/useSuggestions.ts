import { useApi } from '@backstage/core-plugin-api';
import {
  DISCOVERY_LIMITS,
  DiscoverySource,
  DiscoverySuggestion,
  DiscoverySuggestionQuery,
  SuggestionStatus,
} from '@dash-suite/plugin-project-catalog-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { projectCatalogApiRef } from '../../api';

export interface SuggestionList {
  suggestions: DiscoverySuggestion[];
  counts?: Record<SuggestionStatus, number>;
  /** The first page is loading (not a refresh, which keeps the rows shown). */
  loading: boolean;
  /** A refresh after an action or a scan is under way. */
  refreshing: boolean;
  error?: Error;
  hasMore: boolean;
  loadingMore: boolean;
  moreError?: Error;
  loadMore(): void;
  /** Loads the first page again, as many rows as are shown now (within the page limit). */
  refresh(): void;
  /** Starts over from the first page. */
  retry(): void;
}

interface Loaded {
  suggestions: DiscoverySuggestion[];
  counts?: Record<SuggestionStatus, number>;
  nextCursor?: string;
}

const EMPTY: Loaded = { suggestions: [] };

/**
 * Discovery's review queue for a status and source, a page at a time ("Load more"). Answers for
 * an earlier status or source are dropped.
 */
export function useSuggestions(
  status: SuggestionStatus,
  source: DiscoverySource | undefined,
): SuggestionList {
  const api = useApi(projectCatalogApiRef);
  const [loaded, setLoaded] = useState<Loaded>(EMPTY);
  const [loading, setLoading] = useState(true);
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<Error>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error>();
  const request = useRef(0);
  const shown = useRef(0);
  shown.current = loaded.suggestions.length;

  const load = useCallback(
    (mode: 'start' | 'refresh') => {
      const id = ++request.current;
      const query: DiscoverySuggestionQuery = {
        status,
        ...(source ? { source } : {}),
        limit: DISCOVERY_LIMITS.defaultPageSize,
      };
      if (mode === 'start') {
        // The counts stay on the tabs until the answer brings new ones.
        setLoaded(before => ({ suggestions: [], counts: before.counts }));
        setLoading(true);
      } else {
        query.limit = Math.min(
          DISCOVERY_LIMITS.pageSize,
          Math.max(DISCOVERY_LIMITS.defaultPageSize, shown.current),
        );
        setRefreshing(true);
      }
      setError(undefined);
      setMoreError(undefined);
      setLoadingMore(false);
      api.listSuggestions(query).then(
        page => {
          if (id !== request.current) return;
          setLoaded(page);
          setLoading(false);
          setRefreshing(false);
        },
        e => {
          if (id !== request.current) return;
          setLoaded(EMPTY);
          setError(e);
          setLoading(false);
          setRefreshing(false);
        },
      );
    },
    [api, status, source],
  );

  useEffect(() => {
    load('start');
  }, [load]);

  const { nextCursor } = loaded;
  const loadMore = useCallback(() => {
    if (!nextCursor) return;
    const id = ++request.current;
    setLoadingMore(true);
    setMoreError(undefined);
    api
      .listSuggestions({
        status,
        ...(source ? { source } : {}),
        limit: DISCOVERY_LIMITS.defaultPageSize,
        cursor: nextCursor,
      })
      .then(
        page => {
          if (id !== request.current) return;
          setLoaded(before => ({
            suggestions: [...before.suggestions, ...page.suggestions],
            counts: page.counts,
            nextCursor: page.nextCursor,
          }));
          setLoadingMore(false);
        },
        e => {
          if (id !== request.current) return;
          setMoreError(e);
          setLoadingMore(false);
        },
      );
  }, [api, status, source, nextCursor]);

  const refresh = useCallback(() => load('refresh'), [load]);
  const retry = useCallback(() => load('start'), [load]);

  return {
    suggestions: loaded.suggestions,
    counts: loaded.counts,
    loading,
    refreshing,
    error,
    hasMore: Boolean(nextCursor),
    loadingMore,
    moreError,
    loadMore,
    refresh,
    retry,
  };
}
