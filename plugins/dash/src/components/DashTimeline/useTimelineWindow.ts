import { configApiRef, useApiHolder } from '@backstage/core-plugin-api';
import { useEffect, useRef, useState } from 'react';
import { PollingClock, usePollingClock } from '../../hooks/usePollingClock';
import { useTimelineSignals } from '../../hooks/useTimelineSignals';
import {
  TimelineUrlState,
  useTimelineUrlState,
} from '../../hooks/useTimelineUrlState';
import { presetMs, PRESETS } from '../../lib/time';

const DEFAULT_RANGE_MS = PRESETS[2].ms; // 24 h
const DEFAULT_POLL_SECONDS = 15;
const DEFAULT_SAFETY_POLL_SECONDS = 60;

export interface TimelineWindow {
  from: number;
  to: number;
  /** When the view opened. */
  openedAt: number;
  /** The polling clock, ticking while live mode is on. */
  clock: PollingClock;
  /** How often live mode polls now (slower once signals are known to arrive). */
  pollMs: number;
  /**
   * Live mode listens for the backend's timeline signals (the app has Backstage Signals): a
   * signal refetches at once; polling is a safety net.
   */
  push: boolean;
  /** A signal has arrived, so the safety poll runs at its slow pace. */
  pushConfirmed: boolean;
  /** The link named a window that cannot be used: the default window is shown instead. */
  linkWindowInvalid: boolean;
}

/**
 * The window on screen: from the link, else the default ending when the view opened; live mode
 * keeps its length and slides it to now with every tick of the polling clock, and a timeline
 * signal for one of `watchedRefs` ticks it at once.
 */
export function useTimelineWindow(
  url: TimelineUrlState,
  update: ReturnType<typeof useTimelineUrlState>['update'],
  watchedRefs: string[],
): TimelineWindow {
  const configApi = useApiHolder().get(configApiRef);
  const defaultRangeMs =
    presetMs(configApi?.getOptionalString('dash.ui.defaultRange')) ??
    DEFAULT_RANGE_MS;
  const seconds = (key: string, fallback: number) =>
    Math.max(5, configApi?.getOptionalNumber(key) ?? fallback) * 1000;
  const normalPollMs = seconds('dash.ui.livePollSeconds', DEFAULT_POLL_SECONDS);
  const safetyPollMs = Math.max(
    normalPollMs,
    seconds('dash.ui.pushSafetyPollSeconds', DEFAULT_SAFETY_POLL_SECONDS),
  );

  const [openedAt] = useState(() => Date.now());
  const [linkWindowInvalid] = useState(url.invalidWindow);
  // A signal pokes the clock: the window slides to now and the timeline is read again.
  const poke = useRef<() => void>(() => {});
  const signals = useTimelineSignals(watchedRefs, url.live, () =>
    poke.current(),
  );
  // Until a signal has arrived, the connection is not known to work: poll as usual.
  const pollMs = signals.heard ? safetyPollMs : normalPollMs;
  const clock = usePollingClock(url.live, pollMs);
  poke.current = clock.poke;
  const baseFrom = url.from ?? openedAt - defaultRangeMs;
  const baseTo = url.to ?? openedAt;
  const to = url.live ? clock.now : baseTo;
  const from = url.live ? clock.now - (baseTo - baseFrom) : baseFrom;

  // Put the window in the link at once, so that a copied URL opens this very window.
  useEffect(() => {
    if (url.from === undefined) update({ from: baseFrom, to: baseTo });
    // Once, when the view opens without a window.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return {
    from,
    to,
    openedAt,
    clock,
    pollMs,
    push: signals.available,
    pushConfirmed: signals.available && signals.heard,
    linkWindowInvalid,
  };
}
