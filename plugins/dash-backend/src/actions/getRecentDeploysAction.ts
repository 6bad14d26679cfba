import { DAY_MS } from '@dash-suite/plugin-dash-common';
import { parseInput } from '../schema/parseInput';
import { entityQuerySchema } from '../schema/schemas';
import {
  DashActionsOptions,
  actionWindow,
  compactEvent,
  compactEventSchema,
  compactSources,
  eventLink,
  sourceStatesSchema,
} from './shared';

/** `dash:get-recent-deploys`: an entity's deploys and rollbacks, newest first. */
export function createGetRecentDeploysAction(options: DashActionsOptions) {
  const { actionsRegistry, timeline } = options;
  actionsRegistry.register({
    name: 'get-recent-deploys',
    title: 'Get Recent Deploys',
    description: `
Lists the recent deploys and rollbacks of a service (catalog entity), newest first, with version, environment,
status, time, who deployed and links (to the deploy system and to the deploy selected on the DASH tab). The
window defaults to the last 7 days; give "lastHours" or ISO 8601 "from"/"to". "environment" keeps only deploys
to that environment (like production).
`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'Entity ref, kind:namespace/name, like component:default/payments-api',
            ),
          environment: z
            .string()
            .optional()
            .describe('Only deploys to this environment, like production'),
          from: z.string().optional().describe('ISO 8601 start of the window'),
          to: z.string().optional().describe('ISO 8601 end of the window'),
          lastHours: z.number().positive().optional(),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .default(20)
            .describe('Most deploys returned (default 20, at most 100)'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          from: z.string(),
          to: z.string(),
          deploys: z.array(compactEventSchema(z)).describe('Newest first'),
          truncated: z.boolean(),
          sources: sourceStatesSchema(z),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entityRef } = parseInput(entityQuerySchema, {
        entityRef: input.entityRef,
      });
      const { window } = actionWindow(input, options, 7 * DAY_MS);
      // What GET /deploys answers, with the caller's credentials.
      const answer = await timeline.getDeploys(entityRef, window, credentials);
      const environment = input.environment?.toLocaleLowerCase('en-US');
      const matching = environment
        ? answer.deploys.filter(
            d =>
              String(d.attributes.environment ?? '').toLocaleLowerCase(
                'en-US',
              ) === environment,
          )
        : answer.deploys;
      const deploys = matching.slice(0, input.limit);
      return {
        output: {
          entityRef,
          from: answer.from,
          to: answer.to,
          deploys: deploys.map(d =>
            compactEvent(d, eventLink(options, entityRef, window, d.id)),
          ),
          truncated: matching.length > deploys.length,
          sources: compactSources(answer.sources),
        },
      };
    },
  });
}
