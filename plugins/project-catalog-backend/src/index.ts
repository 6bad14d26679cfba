/**
 * The Project Catalog backend plugin: projects created without YAML, per-field metadata
 * overlays merged into the catalog, an audit log, migration campaigns and discovery.
 *
 * @packageDocumentation
 */
export { projectCatalogPlugin as default } from './plugin';
