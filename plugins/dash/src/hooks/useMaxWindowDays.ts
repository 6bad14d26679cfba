import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { dashApiRef } from '../api';

/**
 * The backend's default `dash.maxWindowDays`, used only until the backend has said its own
 * (or when it cannot say).
 */
export const FALLBACK_MAX_WINDOW_DAYS = 31;

/** The widest window the backend answers, in days, as the backend says (`GET /settings`). */
export function useMaxWindowDays(): number {
  const api = useApi(dashApiRef);
  const [days, setDays] = useState(FALLBACK_MAX_WINDOW_DAYS);
  useEffect(() => {
    let current = true;
    api
      .getSettings?.()
      .then(s => {
        if (current && s.maxWindowDays > 0) setDays(s.maxWindowDays);
      })
      // The backend refuses a too-wide window itself; the fallback only spares a round trip.
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [api]);
  return days;
}
