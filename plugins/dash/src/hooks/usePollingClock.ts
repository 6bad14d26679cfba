import { useEffect, useState } from 'react';

/** The polling clock: the time of the last tick, and how many ticks there were. */
export interface PollingClock {
  now: number;
  tick: number;
}

/**
 * While `polling` is on (live mode), ticks every `pollMs` when the page is visible (and once
 * right away when it becomes visible again). Returns the time of the last tick and a tick counter.
 */
export function usePollingClock(
  polling: boolean,
  pollMs: number,
): PollingClock {
  const [clock, setClock] = useState(() => ({ now: Date.now(), tick: 0 }));
  useEffect(() => {
    if (!polling) return undefined;
    const advance = () =>
      setClock(c => ({ now: Date.now(), tick: c.tick + 1 }));
    // Turning live mode on jumps the window to now (without counting as a tick).
    setClock(c => ({ now: Date.now(), tick: c.tick }));
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') advance();
    }, pollMs);
    const onVisibility = () => {
      if (document.visibilityState === 'visible') advance();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [polling, pollMs]);
  return clock;
}
