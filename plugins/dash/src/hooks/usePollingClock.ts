import { useCallback, useEffect, useMemo, useState } from 'react';

/** The polling clock: the time of the last tick, and how many ticks there were. */
export interface PollingClock {
  now: number;
  tick: number;
  /** Ticks now (a signal said there is news), unless the page is hidden. */
  poke(): void;
}

const visible = () => document.visibilityState !== 'hidden';

/**
 * While `polling` is on (live mode), ticks every `pollMs` when the page is visible (and once
 * right away when it becomes visible again, or when poked). Returns the time of the last tick,
 * a tick counter and `poke`.
 */
export function usePollingClock(
  polling: boolean,
  pollMs: number,
): PollingClock {
  const [clock, setClock] = useState(() => ({ now: Date.now(), tick: 0 }));
  const advance = useCallback(
    () => setClock(c => ({ now: Date.now(), tick: c.tick + 1 })),
    [],
  );
  useEffect(() => {
    // Turning live mode on jumps the window to now (without counting as a tick).
    if (polling) setClock(c => ({ now: Date.now(), tick: c.tick }));
  }, [polling]);
  useEffect(() => {
    if (!polling) return undefined;
    const timer = setInterval(() => {
      if (visible()) advance();
    }, pollMs);
    const onVisibility = () => {
      if (document.visibilityState === 'visible') advance();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [polling, pollMs, advance]);
  const poke = useCallback(() => {
    if (polling && visible()) advance();
  }, [polling, advance]);
  return useMemo(() => ({ ...clock, poke }), [clock, poke]);
}
