import {
  FieldDefinition,
  PROJECT_FIELDS,
} from '@dash-suite/plugin-project-catalog-common';
import type { z as Z3 } from 'zod/v3';
import type { z as Z4 } from 'zod';

/**
 * The registry's (zod 3) picture of a value, derived from the field's own (zod 4) schema: its
 * JSON shape only (string, enum, array, object), so that the published JSON Schema tells an
 * assistant what to send. Limits and rules stay in the field's schema, which checks the value
 * afterwards exactly as the route does, with the route's messages.
 */
export function registryShapeOf(
  z: typeof Z3,
  schema: Z4.ZodType,
): Z3.ZodTypeAny {
  const def = schema.def as unknown as {
    type: string;
    entries?: Record<string, string>;
    element?: Z4.ZodType;
    shape?: Record<string, Z4.ZodType>;
    innerType?: Z4.ZodType;
  };
  switch (def.type) {
    case 'string':
      return z.string();
    case 'number':
      return z.number();
    case 'boolean':
      return z.boolean();
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      return values.length
        ? z.enum(values as [string, ...string[]])
        : z.string();
    }
    case 'array':
      return z.array(registryShapeOf(z, def.element!));
    case 'object':
      return z.object(
        Object.fromEntries(
          Object.entries(def.shape ?? {}).map(([k, s]) => [
            k,
            registryShapeOf(z, s),
          ]),
        ),
      );
    case 'optional':
      return registryShapeOf(z, def.innerType!).optional();
    default:
      return z.unknown();
  }
}

function describeField(field: FieldDefinition): string {
  switch (field.key) {
    case 'owner':
      return 'Owner: a group ref, like group:default/team-payments or team-payments';
    case 'system':
      return 'System: a system ref, like system:default/payments or payments';
    case 'tier':
      return 'Tier: a label value, like 1, 2 or critical';
    case 'links':
      return 'Quick links added in the UI (replaces them all; the YAML links stay)';
    default:
      return field.path.at === 'annotation'
        ? `Annotation ${field.path.key}`
        : field.label;
  }
}

/**
 * The `set` input of update-project-metadata: every editable field, optional. Unknown keys pass
 * through to the route's check, which names them and lists the editable fields.
 */
export function fieldSetInputSchema(z: typeof Z3) {
  return z
    .object(
      Object.fromEntries(
        PROJECT_FIELDS.map(f => [
          f.key,
          registryShapeOf(z, f.schema).optional().describe(describeField(f)),
        ]),
      ),
    )
    .passthrough();
}
