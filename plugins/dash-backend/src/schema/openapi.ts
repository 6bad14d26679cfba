import { z } from 'zod';
import {
  alertsResponseSchema,
  changeBodySchema,
  changeResponseSchema,
  deploysResponseSchema,
  doraResponseSchema,
  entityQuerySchema,
  errorResponseSchema,
  linksResponseSchema,
  onCallResponseSchema,
  refreshBodySchema,
  refreshResponseSchema,
  settingsResponseSchema,
  timelineQuerySchema,
  timelineResponseSchema,
  windowQuerySchema,
} from './schemas';
import {
  searchEventsQuerySchema,
  searchEventsResponseSchema,
} from './searchSchemas';

type Schema = Record<string, unknown>;

const json = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Schema;
const input = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;

function queryParameters(schema: z.ZodObject<any>) {
  const jsonSchema = input(schema) as {
    properties: Record<string, Schema>;
    required?: string[];
  };
  return Object.entries(jsonSchema.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: jsonSchema.required?.includes(name) ?? false,
    schema: s,
  }));
}

const errors = {
  '400': {
    description: 'Bad input; the message names the field',
    content: { 'application/json': { schema: json(errorResponseSchema) } },
  },
  '401': {
    description: 'Not signed in',
    content: { 'application/json': { schema: json(errorResponseSchema) } },
  },
  '404': {
    description: 'No such entity, or the caller may not read it',
    content: { 'application/json': { schema: json(errorResponseSchema) } },
  },
};

const ok = (description: string, schema: z.ZodType) => ({
  '200': {
    description,
    content: { 'application/json': { schema: json(schema) } },
  },
});

/** The OpenAPI 3.1 description of the DASH backend, generated from the zod schemas it validates with. */
export function buildOpenApiDocument(): Schema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'DASH backend',
      version: '0.1.0',
      description:
        'Timeline of PagerDuty, GitHub, Grafana and Kibana events per catalog entity, with likely causes of incidents. Mounted at /api/dash. Times are UTC ISO 8601.',
    },
    servers: [{ url: '/api/dash' }],
    paths: {
      '/timeline': {
        get: {
          summary:
            'Events of one or more entities in a window, with source states and likely causes',
          parameters: queryParameters(timelineQuerySchema),
          responses: {
            ...ok('The timeline', timelineResponseSchema),
            ...errors,
          },
        },
      },
      '/settings': {
        get: {
          summary:
            'What the backend allows, for the UI to keep to: the widest window in days (dash.maxWindowDays)',
          responses: {
            ...ok('Settings', settingsResponseSchema),
            ...errors,
          },
        },
      },
      '/export.md': {
        get: {
          summary: 'The same window as Markdown, for a postmortem',
          parameters: queryParameters(timelineQuerySchema),
          responses: {
            '200': {
              description: 'Markdown',
              content: { 'text/markdown': { schema: { type: 'string' } } },
            },
            ...errors,
          },
        },
      },
      '/oncall': {
        get: {
          summary: 'Who is on call for the entity now',
          parameters: queryParameters(entityQuerySchema),
          responses: { ...ok('On call', onCallResponseSchema), ...errors },
        },
      },
      '/alerts': {
        get: {
          summary: 'Alerts firing for the entity now',
          parameters: queryParameters(entityQuerySchema),
          responses: {
            ...ok('Firing alerts', alertsResponseSchema),
            ...errors,
          },
        },
      },
      '/deploys': {
        get: {
          summary: 'Deploys of the entity in a window, newest first',
          parameters: queryParameters(windowQuerySchema),
          responses: { ...ok('Deploys', deploysResponseSchema), ...errors },
        },
      },
      '/dora': {
        get: {
          summary: 'DORA metrics of the entity over a window (default 30 days)',
          parameters: queryParameters(windowQuerySchema),
          responses: { ...ok('DORA metrics', doraResponseSchema), ...errors },
        },
      },
      '/links': {
        get: {
          summary:
            "Links into the upstreams' own UIs (dashboards, log searches) for the entity and window",
          parameters: queryParameters(windowQuerySchema),
          responses: { ...ok('Links', linksResponseSchema), ...errors },
        },
      },
      '/refresh': {
        post: {
          summary: "Refresh the entity's feeds now (permission dash.refresh)",
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: input(refreshBodySchema) },
            },
          },
          responses: {
            ...ok(
              'Source states after the refresh (or after the wait budget)',
              refreshResponseSchema,
            ),
            '403': { description: 'Not allowed' },
            ...errors,
          },
        },
      },
      '/search-events': {
        get: {
          summary:
            'For Backstage search (service credentials only): stored incidents, deploys, releases and changes since a time, newest first, a page at a time',
          parameters: queryParameters(searchEventsQuerySchema),
          responses: {
            ...ok('One page of events', searchEventsResponseSchema),
            '403': { description: 'Not a service (user credentials)' },
            ...errors,
          },
        },
      },
      '/changes': {
        post: {
          summary:
            'Record a change event from any deploy system (permission dash.change.create on the entity); idempotent by (id, poster): the stored id is changes:<id>#<poster>',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: input(changeBodySchema) },
            },
          },
          responses: {
            '201': {
              description: 'Created',
              content: {
                'application/json': { schema: json(changeResponseSchema) },
              },
            },
            ...ok(
              'Updated (this poster posted this id before)',
              changeResponseSchema,
            ),
            '403': {
              description: 'Not allowed to dash.change.create on the entity',
            },
            ...errors,
          },
        },
      },
    },
  };
}
