import { Entity } from '@backstage/catalog-model';
import {
  CatalogCollatorEntityTransformer,
  defaultCatalogCollatorEntityTransformer,
} from '@backstage/plugin-search-backend-module-catalog';
import {
  EDITABLE_ANNOTATIONS,
  projectField,
  readField,
} from '@dash-suite/plugin-project-catalog-common';

/**
 * The catalog's search document, plus what Project Catalog lets owners edit: tags, tier and the
 * suite's annotations (a repository slug, a PagerDuty service id) join the searchable text, and
 * `tags` and `tier` become fields that search filters can match.
 */
export const projectCatalogDocument: CatalogCollatorEntityTransformer = (
  entity: Entity,
) => {
  const base = defaultCatalogCollatorEntityTransformer(entity);
  const tags = entity.metadata.tags ?? [];
  const tier = readField(entity, projectField('tier')!) as string | undefined;
  const annotations = EDITABLE_ANNOTATIONS.flatMap(name => {
    const value = entity.metadata.annotations?.[name];
    return value ? [value] : [];
  });
  const text = [
    base.text,
    ...(tags.length ? [`Tags: ${tags.join(' ')}`] : []),
    ...(tier ? [`Tier ${tier}`] : []),
    ...annotations,
  ]
    .filter(Boolean)
    .join(' : ');
  return { ...base, text, tags, ...(tier ? { tier } : {}) };
};
