import { Entity } from '@backstage/catalog-model';
import {
  CampaignCheckContext,
  CampaignCheckResult,
  CampaignCheckType,
} from '@dash-suite/plugin-project-catalog-node';
import { z } from 'zod';
import { patternSchema, safeRegExp } from './pattern';

const configSchema = z
  .object({
    /** An annotation name, e.g. `pagerduty.com/service-id`. */
    annotation: z.string().min(1).max(253).optional(),
    /** A label name, e.g. `tier`. */
    label: z.string().min(1).max(253).optional(),
    /** A dotted path into the entity, e.g. `spec.lifecycle` or `metadata.tags`. */
    field: z
      .string()
      .regex(
        /^(metadata|spec)(\.[A-Za-z0-9_-]+)+$/,
        'must be a dotted path under metadata or spec, e.g. spec.lifecycle',
      )
      .optional(),
    /** When given, the value (or one element of a list) must match this regular expression. */
    matches: patternSchema.optional(),
  })
  .strict()
  .refine(
    c =>
      [c.annotation, c.label, c.field].filter(v => v !== undefined).length ===
      1,
    { message: 'set exactly one of annotation, label or field' },
  );

export type EntityFieldConfig = z.infer<typeof configSchema>;

function read(
  entity: Entity,
  config: EntityFieldConfig,
): { what: string; value: unknown } {
  if (config.annotation) {
    return {
      what: `annotation ${config.annotation}`,
      value: entity.metadata.annotations?.[config.annotation],
    };
  }
  if (config.label) {
    return {
      what: `label ${config.label}`,
      value: entity.metadata.labels?.[config.label],
    };
  }
  let value: unknown = entity;
  for (const part of config.field!.split('.')) {
    value =
      value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  return { what: config.field!, value };
}

const isSet = (v: unknown) =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length);

const show = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
};

/** Done when an entity field, label or annotation is set (and matches a pattern, if given). */
export const entityFieldCheck: CampaignCheckType<EntityFieldConfig> = {
  id: 'entity-field',
  title: 'Entity field or annotation',
  description:
    'Done when the entity sets an annotation, a label or a field (and its value matches a pattern, when one is given).',
  configSchema,
  async evaluate({
    entity,
    config,
  }: CampaignCheckContext<EntityFieldConfig>): Promise<CampaignCheckResult> {
    const { what, value } = read(entity, config);
    if (!isSet(value))
      return { status: 'failing', detail: `${what} is not set` };
    if (!config.matches)
      return { status: 'done', detail: `${what} is ${show(value)}` };
    const re = safeRegExp(config.matches);
    const values = Array.isArray(value) ? value : [value];
    const hit = values.find(v =>
      re.test(typeof v === 'string' ? v : JSON.stringify(v)),
    );
    return hit !== undefined
      ? { status: 'done', detail: `${what} is ${show(value)}` }
      : {
          status: 'failing',
          detail: `${what} is ${show(value)}, which does not match /${
            config.matches
          }/`,
        };
  },
};
