export interface Config {
  permission?: {
    /** Settings of the demo permission policy (src/modules/permissionPolicy.ts). */
    suite?: {
      /**
       * User and group refs allowed to make the suite's writes (refresh, change ingestion,
       * metadata edits). '*' allows every signed-in user; an empty list allows nobody.
       */
      writers?: string[];
    };
  };
}
