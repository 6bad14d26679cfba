import {
  DISCOVERY_LIMITS,
  DISCOVERY_SOURCES,
  SUGGESTION_STATUSES,
} from '@dash-suite/plugin-project-catalog-common';
import { z } from 'zod';
import { normalizeEntityRef } from '../routes/entityRef';
import {
  OpenApiPaths,
  errorResponses,
  jsonBody,
  queryParameters,
  ok,
} from './openApiHelpers';
import { createProjectBodySchema } from './projects';

const suggestionId = z
  .string()
  .max(512, 'must be at most 512 characters')
  .regex(
    /^(github|pagerduty):\S+$/,
    'must be a suggestion id such as github:acme/returns-service or pagerduty:PABC123',
  );

/** `GET /discovery/suggestions` */
export const suggestionQuerySchema = z
  .object({
    status: z
      .enum(SUGGESTION_STATUSES, {
        error: `must be one of ${SUGGESTION_STATUSES.join(', ')}`,
      })
      .optional(),
    source: z
      .enum(DISCOVERY_SOURCES, {
        error: `must be one of ${DISCOVERY_SOURCES.join(', ')}`,
      })
      .optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(DISCOVERY_LIMITS.pageSize)
      .optional(),
    cursor: suggestionId.optional(),
  })
  .strict();

/** What a reviewer may change when adopting: the fields of `POST /projects`. */
export const adoptEditsSchema = createProjectBodySchema
  .pick({
    name: true,
    title: true,
    type: true,
    owner: true,
    system: true,
    lifecycle: true,
    tier: true,
    tags: true,
    description: true,
  })
  .partial()
  .strict();

const entityRef = z
  .string()
  .max(255, 'must be at most 255 characters')
  .refine(
    ref => {
      try {
        normalizeEntityRef(ref);
        return true;
      } catch {
        return false;
      }
    },
    {
      message:
        'must be an entity reference such as component:default/payments-api',
    },
  )
  .transform(ref => normalizeEntityRef(ref));

const actionSchema = z.discriminatedUnion(
  'action',
  [
    z
      .object({
        id: suggestionId,
        action: z.literal('adopt'),
        edits: adoptEditsSchema.optional(),
      })
      .strict(),
    z
      .object({
        id: suggestionId,
        action: z.literal('ignore'),
        reason: z
          .string({ error: 'required: say why, so the next reviewer knows' })
          .trim()
          .min(1, 'must not be empty: say why, so the next reviewer knows')
          .max(
            DISCOVERY_LIMITS.reasonLength,
            `must be at most ${DISCOVERY_LIMITS.reasonLength} characters`,
          ),
      })
      .strict(),
    z
      .object({
        id: suggestionId,
        action: z.literal('merge'),
        entityRef,
      })
      .strict(),
  ],
  { error: 'must be adopt, ignore or merge' },
);

/** `POST /discovery/suggestions/actions` */
export const discoveryActionsBodySchema = z
  .object({
    actions: z
      .array(actionSchema)
      .min(1, 'must have at least one action')
      .max(
        DISCOVERY_LIMITS.actionsPerRequest,
        `must have at most ${DISCOVERY_LIMITS.actionsPerRequest} actions`,
      )
      .superRefine((actions, ctx) => {
        const first = new Map<string, number>();
        actions.forEach((a, i) => {
          const j = first.get(a.id);
          if (j === undefined) first.set(a.id, i);
          else {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'id'],
              message: `${a.id} is also in actions[${j}]; one action per suggestion`,
            });
          }
        });
      }),
  })
  .strict();

const suggestion = {
  type: 'object',
  description:
    'DiscoverySuggestion: id (<source>:<key>), source, name, title, description, type, owner, language, links, annotations, evidence { type, owner, possibleMatch }, status (open | adopted | ignored | merged), reason, decidedBy, decidedAt, entityRef, firstSeenAt, lastSeenAt',
};

const discoveryStatus = {
  type: 'object',
  description:
    'DiscoveryStatus: enabled, upstreams [{ id (github | pagerduty), status (ok | rate-limited | unauthorized | timed-out | error | not-configured | pending), message, lastRunAt, lastSuccessAt, found }]. A failed upstream keeps the suggestions of its last successful scan.',
};

/** The discovery routes for the OpenAPI document (path items built when the document is). */
export const discoveryOpenApiPaths: OpenApiPaths = {
  get '/discovery/suggestions'() {
    return {
      get: {
        summary:
          'Projects discovery found that the catalog lacks, by id; any signed-in user',
        parameters: queryParameters(suggestionQuerySchema),
        responses: {
          '200': ok('{ suggestions, nextCursor, counts (per status) }', {
            type: 'object',
            properties: {
              suggestions: { type: 'array', items: suggestion },
              nextCursor: { type: 'string' },
              counts: { type: 'object' },
            },
          }),
          ...errorResponses({ '503': 'The database failed' }),
        },
      },
    };
  },
  get '/discovery/status'() {
    return {
      get: {
        summary: "Each upstream's last scan: when, how it ended and why",
        responses: {
          '200': ok('The scan states', discoveryStatus),
          ...errorResponses({ '503': 'The database failed' }),
        },
      },
    };
  },
  get '/discovery/scan'() {
    return {
      post: {
        summary:
          'Scan now (permission project-catalog.discovery.review); answers when the scan is done',
        responses: {
          '200': ok('The scan states after the scan', discoveryStatus),
          ...errorResponses({
            '409': 'Discovery is off (projectCatalog.discovery.enabled: false)',
            '503': 'The database failed',
          }),
        },
      },
    };
  },
  get '/discovery/suggestions/actions'() {
    return {
      post: {
        summary:
          'Adopt (creates a UI project, edits allowed), ignore (with a reason; never offered again) or merge (the annotations become overlays on an entity) suggestions in bulk; permission project-catalog.discovery.review',
        requestBody: jsonBody(discoveryActionsBodySchema),
        responses: {
          '200': ok(
            'One result per action, in order, like a 207: { results: [{ id, action, ok: true, status, entityRef } | { id, action, ok: false, status (400, 403, 404, 409, 503), error: { name, message } }] }. An action that fails writes nothing.',
            { type: 'object', properties: { results: { type: 'array' } } },
          ),
          ...errorResponses(),
        },
      },
    };
  },
};
