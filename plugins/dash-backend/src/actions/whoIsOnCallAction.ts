import { parseInput } from '../schema/parseInput';
import { entityQuerySchema } from '../schema/schemas';
import {
  DashActionsOptions,
  compactSources,
  sourceStatesSchema,
} from './shared';

/** `dash:who-is-on-call`: who is on call for an entity now, by escalation level. */
export function createWhoIsOnCallAction(options: DashActionsOptions) {
  const { actionsRegistry, timeline } = options;
  actionsRegistry.register({
    name: 'who-is-on-call',
    title: 'Who Is On Call',
    description: `
Says who is on call now for a service (catalog entity), by escalation level (1 is paged first): name, email,
until when, the escalation policy or schedule, and the source (like PagerDuty). An empty list with a source
status other than ok means the source could not be asked; the status says why.
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
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          levels: z.array(
            z.object({
              level: z.number().describe('Escalation level, 1 first'),
              name: z.string(),
              email: z.string().optional(),
              until: z
                .string()
                .optional()
                .describe('ISO 8601 end of the shift; absent when permanent'),
              escalationPolicy: z.string().optional(),
              source: z.string(),
              url: z.string().optional(),
            }),
          ),
          sources: sourceStatesSchema(z),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entityRef } = parseInput(entityQuerySchema, input);
      // What GET /oncall answers, with the caller's credentials.
      const answer = await timeline.getOnCall(entityRef, credentials);
      return {
        output: {
          entityRef,
          levels: answer.onCall.map(o => ({
            level: o.escalationLevel,
            name: o.user.name,
            ...(o.user.email ? { email: o.user.email } : {}),
            ...(o.end ? { until: o.end } : {}),
            ...(o.schedule ? { escalationPolicy: o.schedule } : {}),
            source: o.source,
            ...(o.url ? { url: o.url } : {}),
          })),
          sources: compactSources(answer.sources),
        },
      };
    },
  });
}
