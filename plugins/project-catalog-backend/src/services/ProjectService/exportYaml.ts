import { Entity } from '@backstage/catalog-model';
import { PROJECT_CATALOG_ANNOTATIONS } from '@dash-suite/plugin-project-catalog-common';
import { stringify } from 'yaml';

/** Annotations the catalog sets on ingestion; a catalog-info.yaml never carries them. */
const INGESTION_ANNOTATIONS = [
  'backstage.io/managed-by-location',
  'backstage.io/managed-by-origin-location',
  'backstage.io/view-url',
  'backstage.io/edit-url',
  'backstage.io/source-location',
];

/**
 * The entity as the `catalog-info.yaml` that would define it: what the catalog added on
 * ingestion (uid, etag, relations, status, location annotations) and the suite's own bookkeeping
 * annotations are dropped; UI edits stay, so a team can move the project to GitOps.
 */
export function exportCatalogInfo(entity: Entity): string {
  const annotations = { ...entity.metadata.annotations };
  for (const a of [...INGESTION_ANNOTATIONS, ...PROJECT_CATALOG_ANNOTATIONS]) {
    delete annotations[a];
  }
  const {
    uid: _uid,
    etag: _etag,
    generation: _generation,
    annotations: _annotations,
    ...metadata
  } = entity.metadata as Entity['metadata'] & { generation?: number };
  if (metadata.namespace === 'default') delete metadata.namespace;
  const out: Entity = {
    apiVersion: entity.apiVersion,
    kind: entity.kind,
    metadata: {
      ...metadata,
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    ...(entity.spec ? { spec: entity.spec } : {}),
  };
  const header = `# catalog-info.yaml of ${entity.kind.toLocaleLowerCase(
    'en-US',
  )}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }, exported from Project Catalog.\n# Commit it to the repository and register it, then remove the project from the UI.\n`;
  return header + stringify(out, { lineWidth: 0 });
}
