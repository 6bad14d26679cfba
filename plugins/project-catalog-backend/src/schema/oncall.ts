import {
  PAGE_LIMITS,
  PAGE_SEVERITIES,
} from '@dash-suite/plugin-project-catalog-common';
import { z } from 'zod';
import { OpenApiPaths, errorResponses, jsonBody, ok } from './openApiHelpers';

/** Printable text: no NUL or other control characters except newlines and tabs. */
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, {
      message: 'must not contain control characters',
    });

/** `POST /projects/:kind/:namespace/:name/page` */
export const pageOnCallBodySchema = z
  .object({
    summary: text(PAGE_LIMITS.summaryLength).refine(s => s.trim() !== '', {
      message: 'must say what is wrong',
    }),
    severity: z
      .enum(PAGE_SEVERITIES, {
        error: `must be one of ${PAGE_SEVERITIES.join(', ')}`,
      })
      .optional(),
    details: text(PAGE_LIMITS.detailsLength).optional(),
  })
  .strict();

export const onCallOpenApiPaths: OpenApiPaths = {
  '/projects/{kind}/{namespace}/{name}/page': {
    parameters: ['kind', 'namespace', 'name'].map(name => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    post: {
      summary:
        "Page the entity's on-call: a PagerDuty incident through the Events API v2 (needs project-catalog.oncall.page on the entity; audit-logged)",
      requestBody: jsonBody(pageOnCallBodySchema),
      responses: {
        '202': ok(
          'PagerDuty accepted the event: { entityRef, serviceId, dedupKey, message, url }',
        ),
        ...errorResponses({
          '400':
            'Bad input, the entity names no PagerDuty service, or PagerDuty refused the event',
          '503':
            "PagerDuty's APIs did not answer or rate limited; nobody was paged",
        }),
      },
    },
  },
};
