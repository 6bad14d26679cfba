import { DASH_EVENT_KINDS, DAY_MS } from '@dash-suite/plugin-dash-common';
import { parseInput } from '../schema/parseInput';
import { timelineQuerySchema } from '../schema/schemas';
import { checkSources } from '../schema/window';
import {
  DashActionsOptions,
  actionWindow,
  compactEvent,
  compactEventSchema,
  compactSources,
  eventLink,
  sourceStatesSchema,
} from './shared';

/** Most events one answer carries, and how many when the caller names no limit. */
export const TIMELINE_ACTION_MAX_LIMIT = 200;
export const TIMELINE_ACTION_DEFAULT_LIMIT = 50;

/** `dash:get-timeline`: the events of one or more entities in a window, newest first. */
export function createGetTimelineAction(options: DashActionsOptions) {
  const { actionsRegistry, timeline } = options;
  actionsRegistry.register({
    name: 'get-timeline',
    title: 'Get DASH Timeline',
    description: `
Lists what happened to one or more services (catalog entities) in a time window: incidents, alerts, deploys,
change events, pull requests, releases and annotations from PagerDuty, GitHub, Grafana, Kibana and the deploy
systems that post changes, newest first. Use it to answer "what changed?" or "what happened around <time>?".
The window defaults to the last 24 hours; give "lastHours" or ISO 8601 "from"/"to". Each event has a "dashUrl"
that opens the DASH tab of its entity with the window and that event selected. "sources" says, per source,
whether its data is complete (ok) or why it may be missing or old.
`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .optional()
            .describe(
              'Entity ref, kind:namespace/name, like component:default/payments-api',
            ),
          entityRefs: z
            .array(z.string())
            .max(20)
            .optional()
            .describe(
              'Several entity refs at once (with entityRef, at most 20 in all)',
            ),
          from: z.string().optional().describe('ISO 8601 start of the window'),
          to: z
            .string()
            .optional()
            .describe('ISO 8601 end of the window (default now)'),
          lastHours: z
            .number()
            .positive()
            .optional()
            .describe(
              'The window is the last this many hours (instead of from/to)',
            ),
          kinds: z
            .array(z.enum(DASH_EVENT_KINDS))
            .optional()
            .describe('Only these kinds of events'),
          sources: z
            .array(z.string())
            .optional()
            .describe('Only these sources, like pagerduty, github, changes'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(TIMELINE_ACTION_MAX_LIMIT)
            .default(TIMELINE_ACTION_DEFAULT_LIMIT)
            .describe(
              `Most events returned (default ${TIMELINE_ACTION_DEFAULT_LIMIT}, at most ${TIMELINE_ACTION_MAX_LIMIT}); the newest are kept`,
            ),
        }),
      output: z =>
        z.object({
          entityRefs: z.array(z.string()),
          from: z.string(),
          to: z.string(),
          events: z.array(compactEventSchema(z)).describe('Newest first'),
          truncated: z
            .boolean()
            .describe('True when the window held more events than returned'),
          sources: sourceStatesSchema(z),
        }),
    },
    action: async ({ input, credentials }) => {
      const { from, to, window } = actionWindow(input, options, DAY_MS);
      // The same parsing and checks as GET /timeline.
      const q = parseInput(timelineQuerySchema, {
        entityRef: [
          ...(input.entityRef ? [input.entityRef] : []),
          ...(input.entityRefs ?? []),
        ],
        from,
        to,
        sources: input.sources,
        kinds: input.kinds,
      });
      checkSources(q.sources, timeline.knownSources());
      const answer = await timeline.getTimeline(
        {
          entityRefs: [...new Set(q.entityRef)],
          ...window,
          sources: q.sources,
          kinds: q.kinds,
        },
        credentials,
      );
      const newest = answer.events.slice(-input.limit).reverse();
      return {
        output: {
          entityRefs: answer.entityRefs,
          from: answer.from,
          to: answer.to,
          events: newest.map(e =>
            compactEvent(e, eventLink(options, e.entityRef, window, e.id)),
          ),
          truncated:
            Boolean(answer.truncated) || answer.events.length > newest.length,
          sources: compactSources(answer.sources),
        },
      };
    },
  });
}
