export interface Config {
  dash?: {
    /** Settings of the DASH frontend plugin. */
    ui?: {
      /**
       * The window shown when a link names none: `1h`, `6h`, `24h` (default) or `7d`.
       * @visibility frontend
       */
      defaultRange?: '1h' | '6h' | '24h' | '7d';
      /**
       * Seconds between polls in live mode (default 15, at least 5).
       * @visibility frontend
       */
      livePollSeconds?: number;
      /**
       * With Backstage Signals, once a signal has arrived: seconds between the safety polls of
       * live mode (default 60, at least 5). Signals bring new events at once; the safety poll
       * catches what a dropped connection missed.
       * @visibility frontend
       */
      pushSafetyPollSeconds?: number;
    };
  };
}
