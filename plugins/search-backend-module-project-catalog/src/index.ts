/**
 * Search module of Project Catalog: catalog search documents with tags, tier and the suite's
 * annotations.
 *
 * @packageDocumentation
 */
export { searchModuleProjectCatalog as default } from './module';
export { projectCatalogDocument } from './projectCatalogDocument';
