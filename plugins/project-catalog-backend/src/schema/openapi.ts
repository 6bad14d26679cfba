import {
  auditQuerySchema,
  createProjectBodySchema,
  deleteProjectQuerySchema,
  updateProjectBodySchema,
} from './projects';
import { discoveryOpenApiPaths } from './discovery';
import { campaignsOpenApiPaths } from './campaignsOpenApi';
import { onCallOpenApiPaths } from './oncall';
import {
  OpenApiPaths,
  errorResponses,
  jsonBody,
  ok,
  queryParameters,
} from './openApiHelpers';

export type { OpenApiPaths };

type Schema = Record<string, unknown>;

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
      summary:
        "A project's fields, who owns each (YAML or UI), and its version",
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
        'Projects created without YAML, metadata edits merged into the catalog, audit log, campaigns, discovery and page on-call. Mounted at /api/project-catalog. Times are UTC ISO 8601.',
    },
    servers: [{ url: '/api/project-catalog' }],
    paths: {
      ...projectsPaths,
      ...discoveryOpenApiPaths,
      ...campaignsOpenApiPaths(),
      ...onCallOpenApiPaths,
      // [openapi paths]
    },
  };
}
