import { DASH_SEARCH_PAGE_MAX } from '@dash-suite/plugin-dash-common';
import { z } from 'zod';
import { eventSchema, isoSchema, text } from './schemas';

/** `GET /search-events` (service-to-service, for Backstage search): its query and answer. */
export const searchEventsQuerySchema = z.object({
  since: isoSchema.meta({
    description: 'Events that started at or after this time',
  }),
  cursor: text()
    .max(1000)
    .optional()
    .meta({ description: 'nextCursor of the previous page' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(DASH_SEARCH_PAGE_MAX)
    .optional()
    .meta({
      description: `Page size, at most ${DASH_SEARCH_PAGE_MAX} (the default)`,
    }),
});

export const searchEventsResponseSchema = z.object({
  events: z.array(eventSchema),
  nextCursor: z.string().optional(),
});
