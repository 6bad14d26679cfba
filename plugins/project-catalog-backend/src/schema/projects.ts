import {
  EDITABLE_ANNOTATIONS,
  PROJECT_FIELD_KEYS,
  parseOrThrow,
  projectField,
  projectNameSchema,
  projectNamespaceSchema,
} from '@dash-suite/plugin-project-catalog-common';
import { InputError } from '@backstage/errors';
import { z } from 'zod';

const field = (key: string) => projectField(key)!.schema;

/** `POST /projects`: names checked with the catalog's own validators. */
export const createProjectBodySchema = z
  .object({
    name: projectNameSchema,
    namespace: projectNamespaceSchema.optional(),
    title: field('title').optional(),
    type: field('type'),
    owner: field('owner'),
    system: field('system').optional(),
    lifecycle: field('lifecycle'),
    tier: field('tier').optional(),
    description: field('description').optional(),
    tags: field('tags').optional(),
    links: field('links').optional(),
    annotations: z
      .object(
        Object.fromEntries(
          EDITABLE_ANNOTATIONS.map(a => [
            a,
            field(`annotation:${a}`).optional(),
          ]),
        ),
      )
      .strict()
      .optional(),
  })
  .strict();

/** `PATCH /projects/:kind/:namespace/:name`, before each value is checked by its field's schema. */
export const updateProjectBodySchema = z
  .object({
    version: z.number().int().min(0),
    set: z.record(z.string(), z.unknown()).optional(),
    unset: z.array(z.string()).max(PROJECT_FIELD_KEYS.length).optional(),
    reason: z.string().max(500).optional(),
  })
  .strict();

export const deleteProjectQuerySchema = z
  .object({ version: z.coerce.number().int().min(0).optional() })
  .strict();

export const entityPathSchema = z.object({
  kind: z.string().min(1).max(63),
  namespace: z.string().min(1).max(63),
  name: z.string().min(1).max(253),
});

/** The change of a PATCH, every key known and every value valid for its field. */
export function parseProjectChange(body: unknown) {
  const parsed = parseOrThrow(updateProjectBodySchema, body);
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed.set ?? {})) {
    const def = projectField(key);
    if (!def) {
      throw new InputError(
        `set.${key}: unknown field; editable fields are ${PROJECT_FIELD_KEYS.join(
          ', ',
        )}`,
      );
    }
    set[key] = parseOrThrow(def.schema, value, `set.${key}`);
  }
  const unset = parsed.unset ?? [];
  for (const key of unset) {
    if (!projectField(key)) {
      throw new InputError(`unset: unknown field ${key}`);
    }
    if (key in set) {
      throw new InputError(`unset: ${key} is also in set`);
    }
  }
  if (!Object.keys(set).length && !unset.length) {
    throw new InputError('set: nothing to change (set and unset are empty)');
  }
  return { version: parsed.version, set, unset, reason: parsed.reason };
}

export const auditQuerySchema = z
  .object({
    entityRef: z.string().max(255).optional(),
    actor: z.string().max(255).optional(),
    field: z.string().max(128).optional(),
    action: z.string().max(64).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    cursor: z
      .string()
      .regex(/^\d{1,18}$/, 'must be a cursor from a previous page')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();
