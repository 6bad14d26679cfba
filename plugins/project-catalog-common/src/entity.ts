import { Entity, EntityLink } from '@backstage/catalog-model';
import { JsonValue } from '@backstage/types';
import { FieldDefinition, PROJECT_FIELDS, QuickLink } from './fields';

/**
 * How Project Catalog marks the entities it touches, and the pure functions that read and
 * write editable fields in an entity. The catalog processor merges overlays with
 * `mergeOverlays`; the backend uses the same functions to tell YAML-owned fields apart.
 */

/** `ui` on entities that were created in the UI (emitted by the entity provider). */
export const ANNOTATION_PROJECT_ORIGIN = 'project-catalog/origin';
/** Comma-separated keys of the fields the UI set on this entity (written by the processor). */
export const ANNOTATION_UI_FIELDS = 'project-catalog/ui-fields';
/** Comma-separated keys of UI edits that the entity's YAML now defines, so YAML wins. */
export const ANNOTATION_SHADOWED_FIELDS = 'project-catalog/shadowed-fields';
/** The location type of entities created in the UI: `project-catalog:<entity ref>`. */
export const PROJECT_CATALOG_LOCATION_TYPE = 'project-catalog';
/** Where a UI-created project's entity comes from, as its managed-by-location annotation. */
export function projectLocationRef(entityRef: string): string {
  return `${PROJECT_CATALOG_LOCATION_TYPE}:${entityRef}`;
}

/** The annotations the processor writes; never part of an export. */
export const PROJECT_CATALOG_ANNOTATIONS = [
  ANNOTATION_PROJECT_ORIGIN,
  ANNOTATION_UI_FIELDS,
  ANNOTATION_SHADOWED_FIELDS,
] as const;

/** True for entities created in the UI (they have no YAML at all). */
export function isUiCreated(entity: Entity): boolean {
  return entity.metadata.annotations?.[ANNOTATION_PROJECT_ORIGIN] === 'ui';
}

function list(value: string | undefined): string[] {
  return value ? value.split(',').filter(Boolean) : [];
}

/** The keys of the fields the processor merged in from the UI. */
export function uiFieldsOf(entity: Entity): string[] {
  return list(entity.metadata.annotations?.[ANNOTATION_UI_FIELDS]);
}

/** The keys of UI edits that the entity's YAML shadows. */
export function shadowedFieldsOf(entity: Entity): string[] {
  return list(entity.metadata.annotations?.[ANNOTATION_SHADOWED_FIELDS]);
}

/** The field's value in the entity, or undefined when the entity does not set it. */
export function readField(entity: Entity, field: FieldDefinition): unknown {
  const { path } = field;
  switch (path.at) {
    case 'metadata':
      return entity.metadata[path.key];
    case 'spec':
      return entity.spec?.[path.key];
    case 'label':
      return entity.metadata.labels?.[path.key];
    case 'annotation':
      return entity.metadata.annotations?.[path.key];
    default:
      return undefined;
  }
}

/** True when the entity (as YAML or a provider wrote it) sets the field. */
export function definesField(entity: Entity, field: FieldDefinition): boolean {
  const value = readField(entity, field);
  return value !== undefined && value !== null;
}

/** Quick links as catalog entity links: the group becomes the link's `type`. */
export function toEntityLinks(links: QuickLink[]): EntityLink[] {
  return links.map(l => ({
    url: l.url,
    title: l.title,
    ...(l.icon ? { icon: l.icon } : {}),
    ...(l.group ? { type: l.group } : {}),
  }));
}

/** Sets the field in the entity, in place. */
export function writeField(
  entity: Entity,
  field: FieldDefinition,
  value: unknown,
): void {
  const { path } = field;
  switch (path.at) {
    case 'metadata':
      if (path.key === 'links') {
        const existing = entity.metadata.links ?? [];
        entity.metadata.links = [
          ...existing,
          ...toEntityLinks(value as QuickLink[]),
        ];
      } else {
        (entity.metadata as Record<string, unknown>)[path.key] = value;
      }
      return;
    case 'spec':
      entity.spec = { ...entity.spec, [path.key]: value as JsonValue };
      return;
    case 'label':
      entity.metadata.labels = {
        ...entity.metadata.labels,
        [path.key]: String(value),
      };
      return;
    case 'annotation':
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        [path.key]: String(value),
      };
      return;
    default:
  }
}

export interface MergeResult {
  entity: Entity;
  /** Fields whose UI value is now in the entity. */
  applied: string[];
  /** Fields the UI set but the entity's YAML defines: YAML wins, the edit is reported. */
  shadowed: string[];
}

/**
 * Merges UI-set field values into an entity read from YAML (or any other provider). A field the
 * entity already defines keeps its value and the UI value is reported as shadowed; quick links are
 * appended after the entity's own links. Returns a new entity; the input is not changed. Unknown
 * field keys are ignored (an overlay written by a newer version of the backend).
 */
export function mergeOverlays(
  input: Entity,
  fields: Record<string, unknown>,
): MergeResult {
  const entity: Entity = JSON.parse(JSON.stringify(input));
  const applied: string[] = [];
  const shadowed: string[] = [];
  for (const field of PROJECT_FIELDS) {
    if (!(field.key in fields)) continue;
    const value = fields[field.key];
    if (value === undefined || value === null) continue;
    if (field.merge === 'replace' && definesField(entity, field)) {
      shadowed.push(field.key);
      continue;
    }
    writeField(entity, field, value);
    applied.push(field.key);
  }
  const annotations = { ...entity.metadata.annotations };
  delete annotations[ANNOTATION_UI_FIELDS];
  delete annotations[ANNOTATION_SHADOWED_FIELDS];
  if (applied.length) annotations[ANNOTATION_UI_FIELDS] = applied.join(',');
  if (shadowed.length) {
    annotations[ANNOTATION_SHADOWED_FIELDS] = shadowed.join(',');
  }
  entity.metadata.annotations = annotations;
  return { entity, applied, shadowed };
}
