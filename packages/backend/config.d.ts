export interface Config {
  permission?: {
    /** Settings of the demo permission policy (src/modules/permissionPolicy.ts). */
    suite?: {
      /**
       * User and group refs allowed to make the suite's writes (refresh, change ingestion,
       * metadata edits). '*' allows every signed-in user; an empty list allows nobody.
       */
      writers?: string[];
      /**
       * Entities (refs) that the users and groups in `from` may not read: the catalog and every
       * plugin that reads it with the caller's credentials answer as if they did not exist.
       */
      hidden?: Array<{ entities: string[]; from: string[] }>;
    };
  };
  auth?: {
    providers?: {
      /**
       * The demo's second sign-in (src/modules/visitorAuthProvider.ts): a user in no team, to
       * try what someone who may not read an entity gets. Development only, like guest.
       */
      visitor?: {
        /** Default user:default/visitor. */
        userEntityRef?: string;
        dangerouslyAllowOutsideDevelopment?: boolean;
      };
    };
  };
}
