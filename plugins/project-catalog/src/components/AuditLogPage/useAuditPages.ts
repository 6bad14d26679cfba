import { useApi } from '@backstage/core-plugin-api';
import {
  AuditEntry,
  AuditQuery,
} from '@dash-suite/plugin-project-catalog-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { projectCatalogApiRef } from '../../api';

/**
 * Pages loaded at once. "Load older" appends a page; past this many, the newest page is let go,
 * so the page never holds more than `MAX_PAGES` pages of entries (2,000 with pages of 50); the
 * table draws only the rows in view.
 */
export const MAX_PAGES = 40;

interface Page {
  entries: AuditEntry[];
  nextCursor?: string;
}

export interface AuditPagesState {
  entries: AuditEntry[];
  /** The first page is loading (or reloading after an error). */
  loading: boolean;
  error?: Error;
  /** Older entries exist. */
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError?: Error;
  /** Newer pages were let go to keep the table short. */
  newerHidden: boolean;
  loadOlder(): void;
  /** Loads the newest page again. */
  reload(): void;
}

/**
 * The audit log for a query, newest first, with "Load older" cursor paging. Nothing is asked
 * while `query` is undefined (the filters are not valid). Answers for a query that is no longer
 * the current one are dropped.
 */
export function useAuditPages(query: AuditQuery | undefined): AuditPagesState {
  const api = useApi(projectCatalogApiRef);
  const key = query ? JSON.stringify(query) : undefined;
  const [list, setList] = useState<{ pages: Page[]; newerHidden: boolean }>({
    pages: [],
    newerHidden: false,
  });
  const [loading, setLoading] = useState(Boolean(query));
  const [error, setError] = useState<Error>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<Error>();
  const request = useRef(0);

  const reload = useCallback(() => {
    const id = ++request.current;
    setList({ pages: [], newerHidden: false });
    setError(undefined);
    setOlderError(undefined);
    setLoadingOlder(false);
    if (!key) {
      setLoading(false);
      return;
    }
    setLoading(true);
    api.getAudit(JSON.parse(key)).then(
      page => {
        if (id !== request.current) return;
        setList({ pages: [page], newerHidden: false });
        setLoading(false);
      },
      e => {
        if (id !== request.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [api, key]);

  useEffect(() => {
    reload();
  }, [reload]);

  const { pages, newerHidden } = list;
  const last = pages[pages.length - 1];
  const loadOlder = useCallback(() => {
    if (!key || !last?.nextCursor) return;
    const id = ++request.current;
    setLoadingOlder(true);
    setOlderError(undefined);
    api.getAudit({ ...JSON.parse(key), cursor: last.nextCursor }).then(
      page => {
        if (id !== request.current) return;
        setList(before => {
          const all = [...before.pages, page];
          return all.length <= MAX_PAGES
            ? { pages: all, newerHidden: before.newerHidden }
            : { pages: all.slice(all.length - MAX_PAGES), newerHidden: true };
        });
        setLoadingOlder(false);
      },
      e => {
        if (id !== request.current) return;
        setOlderError(e);
        setLoadingOlder(false);
      },
    );
  }, [api, key, last]);

  return {
    entries: pages.flatMap(p => p.entries),
    loading,
    error,
    hasOlder: Boolean(last?.nextCursor),
    loadingOlder,
    olderError,
    newerHidden,
    loadOlder,
    reload,
  };
}
