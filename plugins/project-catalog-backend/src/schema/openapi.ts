import { z } from 'zod';
import {
  auditQuerySchema,
  createProjectBodySchema,
  deleteProjectQuerySchema,
  updateProjectBodySchema,
} from './projects';
import { discoveryOpenApiPaths } from './discovery';

/** One OpenAPI path item per route, keyed by path. */
export type OpenApiPaths = Record<string, Record<string, unknown>>;
type Schema = Record<string, unknown>;

export const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Schema;

/** The query parameters of a zod object schema. */
export function queryParameters(schema: z.ZodObject<any>) {
  const s = jsonSchema(schema, 'input') as {
    properties: Record<string, Schema>;
    required?: string[];
  };
  return Object.entries(s.properties).map(([name, p]) => ({
    name,
    in: 'query',
    required: s.required?.includes(name) ?? false,
    schema: p,
  }));
}

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { name: { type: 'string' }, message: { type: 'string' } },
    },
  },
};

/** The usual error answers; `extra` adds route-specific ones (409, 503). */
export function errorResponses(extra: Record<string, string> = {}) {
  const all: Record<string, string> = {
    '400': 'Bad input; the message names the field',
    '401': 'Not signed in',
    '403': 'Not allowed',
    '404': 'No such entity, or the caller may not read it',
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(all).map(([code, description]) => [
      code,
      { description, content: { 'application/json': { schema: errorSchema } } },
    ]),
  );
}

export const jsonBody = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: jsonSchema(schema, 'input') } },
});

const ok = (description: string, schema: Schema = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});

const projectPathParameters = ['kind', 'namespace', 'name'].map(name => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
}));

const projectView: Schema = {
  type: 'object',
  description:
    'ProjectView: entityRef, origin (ui | catalog), version, fields [{ key, value, owner (yaml | ui | unset), definedIn, overlay }], entity',
};

const projectsPaths: OpenApiPaths = {
  '/projects': {
    post: {
      summary: 'Create a project (a catalog Component) without YAML',
      requestBody: jsonBody(createProjectBodySchema),
      responses: {
        '201': ok('The new project', projectView),
        ...errorResponses({
          '409': 'An entity of that name exists; the message names it',
          '503': 'The database failed; nothing was written',
        }),
      },
    },
  },
  '/projects/{kind}/{namespace}/{name}': {
    parameters: projectPathParameters,
    get: {
      summary: "A project's fields, who owns each (YAML or UI), and its version",
      responses: { '200': ok('The project', projectView), ...errorResponses() },
    },
    patch: {
      summary: 'Edit metadata; carries the version read',
      requestBody: jsonBody(updateProjectBodySchema),
      responses: {
        '200': ok('The project after the edit', projectView),
        ...errorResponses({
          '409':
            'Stale version (the body carries `current`, the project as it is now) or a YAML-owned field (the message names the file and field)',
          '503': 'The database failed; nothing was written',
        }),
      },
    },
    delete: {
      summary: 'Delete a project created in the UI',
      parameters: queryParameters(deleteProjectQuerySchema),
      responses: {
        '204': { description: 'Deleted; the catalog drops it' },
        ...errorResponses({ '409': 'Defined in YAML, or a stale version' }),
      },
    },
  },
  '/projects/{kind}/{namespace}/{name}/catalog-info.yaml': {
    parameters: projectPathParameters,
    get: {
      summary: 'The project as the catalog-info.yaml that would define it',
      responses: {
        '200': {
          description: 'YAML',
          content: { 'application/yaml': { schema: { type: 'string' } } },
        },
        ...errorResponses(),
      },
    },
  },
  '/audit': {
    get: {
      summary:
        'The audit log, newest first, per entity or across the catalog; entries of entities the caller may not read are left out',
      parameters: queryParameters(auditQuerySchema),
      responses: {
        '200': ok('{ entries, nextCursor }'),
        ...errorResponses(),
      },
    },
  },
  '/catalog-feed': {
    get: {
      summary:
        'For the catalog module (service credentials only): every overlay and UI-created project, with the revision as ETag',
      responses: {
        '200': ok('{ revision, overlays, projects }'),
        '304': { description: 'Unchanged since the If-None-Match revision' },
        ...errorResponses(),
      },
    },
  },
};

/** The OpenAPI 3.1 description of the backend, generated from the zod schemas it validates with. */
export function buildOpenApiDocument(): Schema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Project Catalog backend',
      version: '0.1.0',
      description:
        'Projects created without YAML, metadata edits merged into the catalog, audit log, campaigns and discovery. Mounted at /api/project-catalog. Times are UTC ISO 8601.',
    },
    servers: [{ url: '/api/project-catalog' }],
    paths: {
      ...projectsPaths,
      ...discoveryOpenApiPaths,
      // [openapi paths]
    },
  };
}
