import {
  ANNOTATION_LOCATION,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  PROJECT_FIELDS,
  ProjectFieldState,
  ProjectView,
  definesField,
  isUiCreated,
  mergeOverlays,
  projectLocationRef,
  readField,
  uiFieldsOf,
  ANNOTATION_PROJECT_ORIGIN,
} from '@dash-suite/plugin-project-catalog-common';
import { StoredProject } from '../ProjectStore/ProjectStore';

/** The file (location) that defines the entity, as its managed-by-location annotation says. */
export function definingLocation(entity: Entity): string {
  return entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? 'its YAML';
}

/** True when the entity's own YAML (not the UI) sets the field. */
export function isYamlOwned(entity: Entity | undefined, key: string): boolean {
  if (!entity || isUiCreated(entity)) return false;
  const field = PROJECT_FIELDS.find(f => f.key === key);
  if (!field || field.merge === 'append') return false;
  return definesField(entity, field) && !uiFieldsOf(entity).includes(key);
}

/**
 * A project as the API shows it: each field's value and who owns it, from the catalog's entity
 * (which may not have caught up with the latest write yet) and what the UI stored.
 */
export function projectView(
  entityRef: string,
  entity: Entity | undefined,
  stored: StoredProject | undefined,
): ProjectView {
  const fields: ProjectFieldState[] = PROJECT_FIELDS.map(field => {
    const overlay = stored?.fields[field.key];
    const yaml = isYamlOwned(entity, field.key);
    const state: ProjectFieldState = { key: field.key, owner: 'unset' };
    if (overlay && !yaml) {
      state.owner = 'ui';
      state.value = overlay.value;
    } else if (entity && definesField(entity, field)) {
      state.owner = yaml ? 'yaml' : 'ui';
      state.value = readField(entity, field);
    }
    if (yaml && entity) state.definedIn = definingLocation(entity);
    if (overlay) {
      state.overlay = {
        value: overlay.value,
        updatedBy: overlay.updatedBy,
        updatedAt: new Date(overlay.updatedMs).toISOString(),
        shadowed: yaml,
      };
    }
    return state;
  });
  return {
    entityRef,
    origin:
      stored?.origin === 'ui' || (entity && isUiCreated(entity))
        ? 'ui'
        : 'catalog',
    version: stored?.version ?? 0,
    ...(stored
      ? {
          updatedBy: stored.updatedBy,
          updatedAt: new Date(stored.updatedMs).toISOString(),
        }
      : {}),
    fields,
    ...(entity ? { entity } : {}),
  };
}

/** The catalog entity of a project created in the UI, built from its stored fields. */
export function buildProjectEntity(
  entityRef: string,
  fields: Record<string, unknown>,
): Entity {
  const ref = parseEntityRef(entityRef);
  const location = projectLocationRef(entityRef);
  const base: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      annotations: {
        [ANNOTATION_PROJECT_ORIGIN]: 'ui',
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
      },
    },
    spec: {},
  };
  return mergeOverlays(base, fields).entity;
}
