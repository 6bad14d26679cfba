import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';

/**
 * The metadata of a project that can be edited in the UI, one definition per field: where it
 * lives in a catalog entity and how its value is validated. The backend validates writes with
 * these schemas, the catalog processor merges with these paths, and the frontend builds its form
 * from them: one fact, one place.
 */

/** Project types: `spec.type` of the Component. */
export const PROJECT_TYPES = ['service', 'tool', 'library', 'website'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];

/** Lifecycles offered in the UI; any catalog-valid lifecycle is accepted. */
export const PROJECT_LIFECYCLES = [
  'experimental',
  'production',
  'deprecated',
] as const;

/** The annotations of the suite that can be edited as project metadata. */
export const EDITABLE_ANNOTATIONS = [
  'pagerduty.com/service-id',
  'github.com/project-slug',
  'grafana/dashboard-selector',
  'grafana/alert-label-selector',
  'kibana/index-pattern',
  'kibana/log-query',
  'kibana/data-view-id',
] as const;
export type EditableAnnotation = (typeof EDITABLE_ANNOTATIONS)[number];

/** Limits, defined once; the frontend reads them from here (or from the backend's answers). */
export const PROJECT_LIMITS = {
  titleLength: 200,
  descriptionLength: 2000,
  tags: 30,
  links: 50,
  linkTitleLength: 100,
  linkGroupLength: 50,
  urlLength: 2000,
  annotationLength: 1000,
} as const;

const validator = makeValidator();

/** Text without NUL or other control characters (PostgreSQL refuses NUL in text). */
const plainText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex
    .refine(s => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), {
      message: 'must not contain control characters',
    });

const singleLine = (max: number) =>
  plainText(max).refine(s => !/[\r\n]/.test(s), {
    message: 'must be a single line',
  });

/** http(s) URLs only: a link shown to users must never run script. */
export const httpUrlSchema = singleLine(PROJECT_LIMITS.urlLength).refine(
  s => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an http:// or https:// URL' },
);

/** An entity reference such as `group:default/team-sre`, with the kind given or implied. */
const entityRefSchema = (defaultKind: string) =>
  singleLine(255)
    .min(1, 'must not be empty')
    .refine(
      s => {
        try {
          const ref = parseEntityRef(s, {
            defaultKind,
            defaultNamespace: 'default',
          });
          return (
            validator.isValidKind(ref.kind) &&
            validator.isValidNamespace(ref.namespace) &&
            validator.isValidEntityName(ref.name)
          );
        } catch {
          return false;
        }
      },
      { message: `must be an entity reference such as ${defaultKind}:name` },
    );

/** The name of a new project: the catalog's own rule for entity names. */
export const projectNameSchema = z
  .string()
  .refine(n => validator.isValidEntityName(n), {
    message:
      'must be 1-63 characters of letters, digits, dashes, dots and underscores, starting and ending with a letter or digit (a catalog entity name)',
  });

/** The namespace of a new project: the catalog's own rule for namespaces. */
export const projectNamespaceSchema = z
  .string()
  .refine(n => validator.isValidNamespace(n), {
    message: 'must be a catalog namespace such as default',
  });

/** A link added in the UI: grouped and titled. */
export const quickLinkSchema = z.object({
  url: httpUrlSchema,
  title: singleLine(PROJECT_LIMITS.linkTitleLength).min(1, 'must not be empty'),
  group: singleLine(PROJECT_LIMITS.linkGroupLength).optional(),
  icon: singleLine(50)
    .regex(/^[a-zA-Z0-9_-]*$/, 'must be an icon name')
    .optional(),
});
export type QuickLink = z.infer<typeof quickLinkSchema>;

/** Where a field lives in an entity. */
export type FieldPath =
  | { at: 'metadata'; key: 'title' | 'description' | 'tags' | 'links' }
  | { at: 'spec'; key: 'type' | 'lifecycle' | 'owner' | 'system' }
  | { at: 'label'; key: string }
  | { at: 'annotation'; key: string };

export interface FieldDefinition {
  /** The field's key in the API (`tier`, `tags`, `annotation:github.com/project-slug`). */
  key: string;
  label: string;
  path: FieldPath;
  schema: z.ZodType;
  /**
   * `replace`: YAML that defines the field owns it, and the UI may not edit it.
   * `append`: UI values are added after YAML's (quick links), so YAML never shadows them.
   */
  merge: 'replace' | 'append';
}

const annotationField = (name: EditableAnnotation): FieldDefinition => ({
  key: `annotation:${name}`,
  label: name,
  path: { at: 'annotation', key: name },
  schema: singleLine(PROJECT_LIMITS.annotationLength).min(
    1,
    'must not be empty',
  ),
  merge: 'replace',
});

/** Every editable field, in the order the UI shows them. */
export const PROJECT_FIELDS: readonly FieldDefinition[] = [
  {
    key: 'title',
    label: 'Title',
    path: { at: 'metadata', key: 'title' },
    schema: singleLine(PROJECT_LIMITS.titleLength).min(1, 'must not be empty'),
    merge: 'replace',
  },
  {
    key: 'description',
    label: 'Description',
    path: { at: 'metadata', key: 'description' },
    schema: plainText(PROJECT_LIMITS.descriptionLength),
    merge: 'replace',
  },
  {
    key: 'type',
    label: 'Type',
    path: { at: 'spec', key: 'type' },
    schema: z.enum(PROJECT_TYPES, {
      error: `must be one of ${PROJECT_TYPES.join(', ')}`,
    }),
    merge: 'replace',
  },
  {
    key: 'lifecycle',
    label: 'Lifecycle',
    path: { at: 'spec', key: 'lifecycle' },
    schema: singleLine(63).regex(
      /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/,
      `must be a lifecycle such as ${PROJECT_LIFECYCLES.join(', ')}`,
    ),
    merge: 'replace',
  },
  {
    key: 'owner',
    label: 'Owner',
    path: { at: 'spec', key: 'owner' },
    schema: entityRefSchema('group'),
    merge: 'replace',
  },
  {
    key: 'system',
    label: 'System',
    path: { at: 'spec', key: 'system' },
    schema: entityRefSchema('system'),
    merge: 'replace',
  },
  {
    key: 'tier',
    label: 'Tier',
    path: { at: 'label', key: 'tier' },
    schema: singleLine(63).refine(v => validator.isValidLabelValue(v), {
      message: 'must be a label value such as 1, 2 or critical',
    }),
    merge: 'replace',
  },
  {
    key: 'tags',
    label: 'Tags',
    path: { at: 'metadata', key: 'tags' },
    schema: z
      .array(
        singleLine(63).refine(t => validator.isValidTag(t), {
          message:
            'must be lower-case letters, digits and dashes (a catalog tag)',
        }),
      )
      .max(PROJECT_LIMITS.tags, `must have at most ${PROJECT_LIMITS.tags}`),
    merge: 'replace',
  },
  {
    key: 'links',
    label: 'Quick links',
    path: { at: 'metadata', key: 'links' },
    schema: z
      .array(quickLinkSchema)
      .max(PROJECT_LIMITS.links, `must have at most ${PROJECT_LIMITS.links}`),
    merge: 'append',
  },
  ...EDITABLE_ANNOTATIONS.map(annotationField),
];

const byKey = new Map(PROJECT_FIELDS.map(f => [f.key, f]));

/** The definition of a field, or undefined for an unknown key. */
export function projectField(key: string): FieldDefinition | undefined {
  return byKey.get(key);
}

/** Every editable field key. */
export const PROJECT_FIELD_KEYS: readonly string[] = PROJECT_FIELDS.map(
  f => f.key,
);
