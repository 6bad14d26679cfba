import { configApiRef, useApiHolder } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { PollingClock, usePollingClock } from '../../hooks/usePollingClock';
import {
  TimelineUrlState,
  useTimelineUrlState,
} from '../../hooks/useTimelineUrlState';
import { presetMs, PRESETS } from '../../lib/time';

const DEFAULT_RANGE_MS = PRESETS[2].ms; // 24 h
const DEFAULT_POLL_SECONDS = 15;

export interface TimelineWindow {
  from: number;
  to: number;
  /** When the view opened. */
  openedAt: number;
  /** The polling clock, ticking while live mode is on. */
  clock: PollingClock;
  /** How often live mode polls. */
  pollMs: number;
  /** The link named a window that cannot be used: the default window is shown instead. */
  linkWindowInvalid: boolean;
}

/**
 * The window on screen: from the link, else the default ending when the view opened; live mode
 * keeps its length and slides it to now with every tick of the polling clock.
 */
export function useTimelineWindow(
  url: TimelineUrlState,
  update: ReturnType<typeof useTimelineUrlState>['update'],
): TimelineWindow {
  const configApi = useApiHolder().get(configApiRef);
  const defaultRangeMs =
    presetMs(configApi?.getOptionalString('dash.ui.defaultRange')) ??
    DEFAULT_RANGE_MS;
  const pollMs =
    Math.max(
      5,
      configApi?.getOptionalNumber('dash.ui.livePollSeconds') ??
        DEFAULT_POLL_SECONDS,
    ) * 1000;

  const [openedAt] = useState(() => Date.now());
  const [linkWindowInvalid] = useState(url.invalidWindow);
  const clock = usePollingClock(url.live, pollMs);
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

  return { from, to, openedAt, clock, pollMs, linkWindowInvalid };
}
