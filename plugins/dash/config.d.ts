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
    };
  };
}
