import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  DashTimelineSignal,
  dashTimelineChannel,
} from '@dash-suite/plugin-dash-common';
import { useEffect, useRef, useState } from 'react';

/** Where live mode's push stands. */
export interface TimelineSignalsState {
  /** The app has Backstage Signals (the signals frontend plugin): live mode subscribes. */
  available: boolean;
  /**
   * A signal has arrived on one of the channels: the connection to the backend works, so live
   * mode can lean on signals and poll only as a safety net.
   */
  heard: boolean;
}

/**
 * While `enabled` (live mode), listens on the DASH timeline channel of each entity and calls
 * `onSignal` whenever the backend says one of them has new events. Without the Signals API in
 * the app nothing is subscribed (`available` is false) and live mode polls as before.
 */
export function useTimelineSignals(
  entityRefs: string[],
  enabled: boolean,
  onSignal: (signal: DashTimelineSignal) => void,
): TimelineSignalsState {
  const signalApi = useApiHolder().get(signalApiRef);
  const [heard, setHeard] = useState(false);
  const callback = useRef(onSignal);
  callback.current = onSignal;
  const channelsKey = [
    ...new Set(entityRefs.map(ref => dashTimelineChannel(ref))),
  ]
    .sort()
    .join('\n');

  useEffect(() => {
    if (!signalApi || !enabled || !channelsKey) return undefined;
    const subscriptions = channelsKey.split('\n').map(channel =>
      signalApi.subscribe<DashTimelineSignal>(channel, message => {
        setHeard(true);
        callback.current(message);
      }),
    );
    return () => subscriptions.forEach(s => s.unsubscribe());
  }, [signalApi, enabled, channelsKey]);

  return { available: Boolean(signalApi), heard };
}
