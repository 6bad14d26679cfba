import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DASH_CHANGE_TYPES,
  DASH_EVENT_KINDS,
  DASH_SEVERITIES,
  DASH_SOURCE_STATUSES,
  DashEvent,
  DashSettingsResponse,
  DashSourceState,
  DashTimelineResponse,
} from '@dash-suite/plugin-dash-common';
import { JsonValue } from '@backstage/types';
import { z } from 'zod';

/**
 * Input and output schemas of every route. The router validates input with them; the OpenAPI
 * document (`GET /openapi.json`) is generated from them; the tests validate answers with them.
 */

/**
 * Text the database stores as given: no NUL (U+0000, which PostgreSQL refuses) and no unpaired
 * UTF-16 surrogate (which would read back as U+FFFD). Every string the API accepts is one.
 */
// eslint-disable-next-line no-control-regex
const STORABLE_TEXT = /^[^\u0000\uD800-\uDFFF]*$/u;
export const NOT_STORABLE_MESSAGE =
  'must not contain a NUL character (U+0000) or an unpaired surrogate';
export const text = () => z.string().regex(STORABLE_TEXT, NOT_STORABLE_MESSAGE);

/** `component:default/payments-api`; kind required, namespace defaults to `default`; lower-cased. */
export const entityRefSchema = text()
  .max(255)
  .transform((value, ctx) => {
    try {
      return stringifyEntityRef(parseEntityRef(value)).toLocaleLowerCase(
        'en-US',
      );
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `'${value}' is not an entity ref like component:default/payments-api`,
      });
      return z.NEVER;
    }
  })
  .meta({
    description: 'Entity ref, kind:namespace/name',
    example: 'component:default/payments-api',
  });

export const isoSchema = z
  .string()
  .refine(
    v =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(
        v,
      ) && !Number.isNaN(Date.parse(v)),
    {
      message:
        'must be an ISO 8601 date-time with a time zone, like 2026-11-22T14:00:00Z',
    },
  )
  .meta({ format: 'date-time' });

/** `a,b,c` or repeated parameters, into a list. */
function listOf<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform(v =>
      (Array.isArray(v) ? v : [v])
        .flatMap(s => s.split(','))
        .map(s => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));
}

const booleanParam = z
  .enum(['true', 'false', '1', '0'])
  .transform(v => v === 'true' || v === '1');

export const kindSchema = z.enum(DASH_EVENT_KINDS);

export const timelineQuerySchema = z.object({
  entityRef: listOf(entityRefSchema).pipe(
    z
      .array(z.string())
      .min(1, 'give at least one entityRef')
      .max(20, 'at most 20 entities at once'),
  ),
  from: isoSchema.optional(),
  to: isoSchema.optional(),
  sources: listOf(
    z
      .string()
      .regex(
        /^[a-z0-9-]+$/,
        'source ids are lower-case letters, digits and dashes',
      ),
  ).optional(),
  kinds: listOf(kindSchema).optional(),
  includeDependencies: booleanParam.optional(),
  live: booleanParam.optional(),
  push: booleanParam.optional(),
});

export const entityQuerySchema = z.object({ entityRef: entityRefSchema });

export const windowQuerySchema = z.object({
  entityRef: entityRefSchema,
  from: isoSchema.optional(),
  to: isoSchema.optional(),
});

export const refreshBodySchema = z.object({
  entityRef: entityRefSchema,
  sources: z.array(text().max(64)).max(20).optional(),
});

const httpUrl = text()
  .max(2000)
  .refine(v => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an http or https URL');

export const actorSchema = z.object({
  name: text().min(1).max(200),
  email: text().max(200).optional(),
  url: httpUrl.optional(),
});

export const changeBodySchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9._:/@+-]+$/, 'letters, digits and . _ : / @ + - only'),
    entityRef: entityRefSchema,
    time: isoSchema,
    title: text().min(1).max(500),
    type: z.enum(DASH_CHANGE_TYPES),
    environment: text().max(100).optional(),
    version: text().max(200).optional(),
    // Strict like the body: an unknown actor field is refused, not silently dropped.
    actor: actorSchema.strict().optional(),
    url: httpUrl.optional(),
    details: z
      .record(
        text().max(100),
        z.union([text().max(2000), z.number(), z.boolean()]),
      )
      .refine(d => Object.keys(d).length <= 50, 'at most 50 details')
      .optional(),
  })
  .strict();

// Answers.

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

export const eventSchema = z.object({
  id: z.string(),
  source: z.string(),
  kind: kindSchema,
  title: z.string(),
  severity: z.enum(DASH_SEVERITIES),
  startTime: isoSchema,
  endTime: isoSchema.optional(),
  entityRef: z.string(),
  status: z.string().optional(),
  actor: actorSchema.optional(),
  url: z.string().optional(),
  attributes: z.record(z.string(), jsonValue),
});

export const sourceStateSchema = z.object({
  id: z.string(),
  title: z.string(),
  entityRef: z.string(),
  status: z.enum(DASH_SOURCE_STATUSES),
  fetchedAt: isoSchema.optional(),
  message: z.string().optional(),
  retryAfter: isoSchema.optional(),
  nextAttemptAt: isoSchema.optional(),
});

export const correlationSchema = z.object({
  eventId: z.string(),
  lookbackFrom: isoSchema,
  lookbackTo: isoSchema,
  onset: z.object({
    time: isoSchema,
    eventId: z.string(),
    signalIds: z.array(z.string()),
    summary: z.string(),
  }),
  verdict: z.enum(['ranked', 'nothing-plausible']),
  summary: z.string(),
  candidates: z.array(
    z.object({
      eventId: z.string(),
      entityRef: z.string(),
      relation: z.enum(['self', 'dependency']),
      score: z.number().min(0).max(1),
      reasons: z.array(z.string()),
      shipped: z
        .array(
          z.object({
            kind: z.enum(['commit', 'pull-request']),
            title: z.string(),
            eventId: z.string().optional(),
            number: z.number().optional(),
            sha: z.string().optional(),
            url: z.string().optional(),
          }),
        )
        .optional(),
    }),
  ),
  afterOnset: z.array(
    z.object({
      eventId: z.string(),
      entityRef: z.string(),
      reasons: z.array(z.string()),
    }),
  ),
});

export const timelineResponseSchema = z.object({
  entityRefs: z.array(z.string()),
  dependencyRefs: z.array(z.string()),
  from: isoSchema,
  to: isoSchema,
  events: z.array(eventSchema),
  truncated: z.boolean().optional(),
  relatedEvents: z.array(eventSchema),
  sources: z.array(sourceStateSchema),
  correlations: z.array(correlationSchema),
  generatedAt: isoSchema,
});

export const settingsResponseSchema = z.object({
  maxWindowDays: z.number().positive(),
});

export const onCallResponseSchema = z.object({
  entityRef: z.string(),
  onCall: z.array(
    z.object({
      source: z.string(),
      entityRef: z.string(),
      escalationLevel: z.number(),
      user: actorSchema,
      schedule: z.string().optional(),
      start: isoSchema.optional(),
      end: isoSchema.optional(),
      url: z.string().optional(),
    }),
  ),
  sources: z.array(sourceStateSchema),
});

export const alertsResponseSchema = z.object({
  entityRef: z.string(),
  alerts: z.array(eventSchema),
  sources: z.array(sourceStateSchema),
});

export const deploysResponseSchema = z.object({
  entityRef: z.string(),
  from: isoSchema,
  to: isoSchema,
  deploys: z.array(eventSchema),
  sources: z.array(sourceStateSchema),
});

const nullableNumber = z.number().nullable();
export const doraResponseSchema = z.object({
  entityRef: z.string(),
  from: isoSchema,
  to: isoSchema,
  deployCount: z.number(),
  deploysPerDay: nullableNumber,
  leadTimeHours: nullableNumber,
  changeFailureRate: nullableNumber,
  timeToRestoreHours: nullableNumber,
  basis: z.object({
    deploys: z.number(),
    mergedPullRequests: z.number(),
    failedDeploys: z.number(),
    resolvedIncidents: z.number(),
  }),
  sources: z.array(sourceStateSchema),
});

export const linksResponseSchema = z.object({
  entityRef: z.string(),
  from: isoSchema,
  to: isoSchema,
  links: z.array(
    z.object({
      source: z.string(),
      sourceTitle: z.string(),
      title: z.string(),
      url: z.string(),
    }),
  ),
});

export const refreshResponseSchema = z.object({
  sources: z.array(sourceStateSchema),
});

export const changeResponseSchema = z.object({
  event: eventSchema,
  created: z.boolean(),
});

export const errorResponseSchema = z.object({
  error: z.object({ name: z.string(), message: z.string() }),
  request: z.object({ method: z.string(), url: z.string() }).optional(),
  response: z.object({ statusCode: z.number() }),
});

// The schemas and the shared TypeScript types must agree; these fail to compile if they drift.
type Assert<T extends true> = T;
export type _EventAgrees = Assert<
  z.infer<typeof eventSchema> extends DashEvent ? true : false
>;
export type _StateAgrees = Assert<
  z.infer<typeof sourceStateSchema> extends DashSourceState ? true : false
>;
export type _SettingsAgrees = Assert<
  z.infer<typeof settingsResponseSchema> extends DashSettingsResponse
    ? true
    : false
>;
export type _TimelineAgrees = Assert<
  z.infer<typeof timelineResponseSchema> extends DashTimelineResponse
    ? true
    : false
>;

/**
 * Where the input has a `__proto__` key of its own, as `JSON.parse` makes one (`details`,
 * `input` for the top level); zod drops such a key silently, so the route refuses it instead of
 * accepting what it would not keep. Looks at most `maxDepth` levels deep.
 */
export function protoKeyPath(
  value: unknown,
  path: string = 'input',
  maxDepth: number = 8,
): string | undefined {
  if (maxDepth < 0 || value === null || typeof value !== 'object') {
    return undefined;
  }
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return path;
  for (const [k, v] of Object.entries(value)) {
    const found = protoKeyPath(
      v,
      path === 'input' ? k : `${path}.${k}`,
      maxDepth - 1,
    );
    if (found) return found;
  }
  return undefined;
}

/** Turns a zod error into one sentence that names each bad field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      let path = issue.path;
      let message = issue.message;
      if (issue.code === 'invalid_key' && path.length) {
        // A bad key of a record: name the record, quote the key, say what is wrong with it.
        const keyName = JSON.stringify(String(path[path.length - 1]));
        path = path.slice(0, -1);
        message = `key ${keyName} ${issue.issues[0]?.message ?? 'is invalid'}`;
      }
      const field = path.length
        ? path
            .map((part, i) =>
              typeof part === 'number'
                ? `[${part}]`
                : `${i ? '.' : ''}${String(part)}`,
            )
            .join('')
        : 'input';
      return `${field}: ${message}`;
    })
    .join('; ');
}
