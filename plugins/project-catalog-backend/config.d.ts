export interface Config {
  /** Settings of the Project Catalog backend; every value has a default. */
  projectCatalog?: {
    audit?: {
      /** How long audit entries are kept, in days. Default 400. */
      retentionDays?: number;
    };
  };
}
