import {
  CAMPAIGN_DEGRADED_REASONS,
  CAMPAIGN_STATUSES,
} from '@dash-suite/plugin-project-catalog-common';
import {
  OpenApiPaths,
  errorResponses,
  jsonBody,
  queryParameters,
  ok,
} from './openApiHelpers';
import {
  campaignEntitiesQuerySchema,
  campaignHistoryQuerySchema,
  createCampaignBodySchema,
  deleteCampaignQuerySchema,
  evaluateQuerySchema,
  exemptionBodySchema,
  manualStatusBodySchema,
  updateCampaignBodySchema,
} from './campaigns';

type Schema = Record<string, unknown>;

const pathParameter = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
});
const campaignParameters = [pathParameter('id')];
const entityParameters = ['id', 'kind', 'namespace', 'name'].map(pathParameter);

const campaign: Schema = {
  type: 'object',
  description:
    'Campaign: id, title, description, owner, startsAt, deadline, scope { kind, type, tags, owner, system, lifecycle }, check { type, config }, origin (ui | config), version, createdBy/At, updatedBy/At, evaluatedAt, evaluationError, counts { <status>: n, total }, degraded { <reason>: n }',
};
const entityStatus: Schema = {
  type: 'object',
  description: `CampaignEntityStatus: campaignId, entityRef, owner, status (${CAMPAIGN_STATUSES.join(
    ' | ',
  )}), detail, degraded { reason (${CAMPAIGN_DEGRADED_REASONS.join(
    ' | ',
  )}), message, since }: the last status is kept, manual { status, note, by, at }, exemption { reason, by, at }, evaluatedAt, changedAt`,
};
const list = (items: Schema, extra: Schema = {}) => ({
  type: 'object',
  properties: { items: { type: 'array', items }, ...extra },
});

const writeErrors = (extra: Record<string, string> = {}) =>
  errorResponses({
    '503': 'The database failed; nothing was written',
    ...extra,
  });

/** The OpenAPI path items of the campaign routes (built on demand: no import cycle). */
export function campaignsOpenApiPaths(): OpenApiPaths {
  return {
    '/campaign-check-types': {
      get: {
        summary:
          'The check types this backend knows, with their settings as JSON schema',
        responses: {
          '200': ok('{ items: [{ id, title, description, configSchema }] }'),
          ...errorResponses(),
        },
      },
    },
    '/campaigns': {
      get: {
        summary: 'Every campaign with its counts per status',
        responses: {
          '200': ok('{ items }', list(campaign)),
          ...errorResponses(),
        },
      },
      post: {
        summary: 'Create a campaign (project-catalog.campaign.manage)',
        requestBody: jsonBody(createCampaignBodySchema),
        responses: {
          '201': ok('The new campaign', campaign),
          ...writeErrors({ '409': 'A campaign with that id exists' }),
        },
      },
    },
    '/campaigns/{id}': {
      parameters: campaignParameters,
      get: {
        summary: 'A campaign with its counts per status and degraded entities',
        responses: { '200': ok('The campaign', campaign), ...errorResponses() },
      },
      patch: {
        summary:
          'Change a campaign; carries the version read (project-catalog.campaign.manage)',
        requestBody: jsonBody(updateCampaignBodySchema),
        responses: {
          '200': ok('The campaign after the change', campaign),
          ...writeErrors({
            '409':
              'Stale version (the body carries `current`), or a campaign defined in app-config',
          }),
        },
      },
      delete: {
        summary:
          'Delete a campaign with its statuses and history (project-catalog.campaign.manage)',
        parameters: queryParameters(deleteCampaignQuerySchema),
        responses: {
          '204': { description: 'Deleted' },
          ...writeErrors({
            '409':
              'Stale version (the body carries `current`), or a campaign defined in app-config',
          }),
        },
      },
    },
    '/campaigns/{id}/entities': {
      parameters: campaignParameters,
      get: {
        summary:
          'Statuses per entity, by entity ref, with cursor paging; entities the caller may not read are left out',
        parameters: queryParameters(campaignEntitiesQuerySchema),
        responses: {
          '200': ok(
            '{ items, nextCursor }',
            list(entityStatus, { nextCursor: { type: 'string' } }),
          ),
          ...errorResponses(),
        },
      },
    },
    '/campaigns/{id}/history': {
      parameters: campaignParameters,
      get: {
        summary:
          'Daily counts per status for a burn-up: the whole campaign, one team (`team`), or every team (`byTeam=true`); days without an evaluation carry the day before',
        parameters: queryParameters(campaignHistoryQuerySchema),
        responses: {
          '200': ok('{ campaignId, points: [{ day, team, counts }] }'),
          ...errorResponses(),
        },
      },
    },
    '/campaigns/{id}/evaluate': {
      parameters: campaignParameters,
      post: {
        summary: 'Evaluate the campaign now (project-catalog.campaign.manage)',
        parameters: queryParameters(evaluateQuerySchema),
        responses: {
          '200': ok(
            'With wait=true: { campaignId, evaluatedAt, counts, degraded, notificationsSent }',
          ),
          '202': ok('Started: { campaignId, state: running }'),
          ...errorResponses(),
        },
      },
    },
    '/campaigns/{id}/entities/{kind}/{namespace}/{name}/manual': {
      parameters: entityParameters,
      put: {
        summary:
          "The owners' status with a note (project-catalog.metadata.update on the entity, or project-catalog.campaign.manage); on a campaign with an automatic check, in-progress only",
        requestBody: jsonBody(manualStatusBodySchema),
        responses: {
          '200': ok('The entity status', entityStatus),
          ...writeErrors({ '409': 'The entity is not in the campaign scope' }),
        },
      },
      delete: {
        summary: "Clear the owners' status",
        responses: {
          '200': ok('The entity status', entityStatus),
          ...writeErrors({ '409': 'The entity is not in the campaign scope' }),
        },
      },
    },
    '/campaigns/{id}/entities/{kind}/{namespace}/{name}/exemption': {
      parameters: entityParameters,
      put: {
        summary:
          'Exempt the entity, with the reason (project-catalog.campaign.manage)',
        requestBody: jsonBody(exemptionBodySchema),
        responses: {
          '200': ok('The entity status', entityStatus),
          ...writeErrors({ '409': 'The entity is not in the campaign scope' }),
        },
      },
      delete: {
        summary: 'Lift the exemption (project-catalog.campaign.manage)',
        responses: {
          '200': ok('The entity status', entityStatus),
          ...writeErrors({ '409': 'The entity is not in the campaign scope' }),
        },
      },
    },
    '/projects/{kind}/{namespace}/{name}/campaigns': {
      parameters: ['kind', 'namespace', 'name'].map(pathParameter),
      get: {
        summary:
          "The campaigns whose scope holds the entity, with the entity's status in each",
        responses: {
          '200': ok(
            '{ items: [{ campaign, status }] }',
            list({
              type: 'object',
              properties: { campaign, status: entityStatus },
            }),
          ),
          ...errorResponses(),
        },
      },
    },
  };
}
