import { NotFoundError } from '@backstage/errors';
import {
  DASH_PROBLEM_KINDS,
  DAY_MS,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import { parseInput } from '../schema/parseInput';
import { entityQuerySchema } from '../schema/schemas';
import {
  DashActionsOptions,
  actionWindow,
  compactEvent,
  compactEventSchema,
  eventLink,
} from './shared';

/** `dash:get-likely-causes`: the changes that most likely caused an incident, ranked. */
export function createGetLikelyCausesAction(options: DashActionsOptions) {
  const { actionsRegistry, timeline } = options;
  actionsRegistry.register({
    name: 'get-likely-causes',
    title: 'Get Likely Causes',
    description: `
Ranks the changes (deploys, config and feature-flag changes, releases, merged pull requests) on a service and on
what it depends on that most likely caused an incident or alert, each with its reasons in words. Without
"eventId" it explains the newest incident or alert of the window (default the last 24 hours). The answer gives
the problem with its onset (when trouble began, which may be before the page), the candidates best first with a
score from 0 to 1, the verdict ("ranked" or "nothing-plausible") and the changes made after the onset (never
suspects; perhaps mitigations). Every item has a "dashUrl" that opens the DASH tab with it selected.
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
          eventId: z
            .string()
            .optional()
            .describe(
              'Id of the incident or alert, as get-timeline gives it; default the newest one in the window',
            ),
          from: z.string().optional().describe('ISO 8601 start of the window'),
          to: z.string().optional().describe('ISO 8601 end of the window'),
          lastHours: z.number().positive().optional(),
        }),
      output: z =>
        z.object({
          problem: compactEventSchema(z).extend({
            onset: z.object({ time: z.string(), summary: z.string() }),
          }),
          verdict: z.enum(['ranked', 'nothing-plausible']),
          summary: z.string(),
          lookback: z.object({ from: z.string(), to: z.string() }),
          candidates: z
            .array(
              compactEventSchema(z).extend({
                rank: z.number(),
                score: z.number(),
                relation: z
                  .enum(['self', 'dependency'])
                  .describe('On the entity itself, or on what it depends on'),
                reasons: z.array(z.string()),
                shipped: z
                  .array(z.string())
                  .optional()
                  .describe('What a deploy shipped (pull requests, commits)'),
              }),
            )
            .describe('Best first'),
          afterOnset: z.array(
            compactEventSchema(z).extend({ reasons: z.array(z.string()) }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entityRef } = parseInput(entityQuerySchema, {
        entityRef: input.entityRef,
      });
      const { window } = actionWindow(input, options, DAY_MS);
      // The timeline the tab shows, with the correlator's answer in it.
      const answer = await timeline.getTimeline(
        { entityRefs: [entityRef], ...window },
        credentials,
      );
      const problems = answer.events.filter(
        e => e.entityRef === entityRef && DASH_PROBLEM_KINDS.includes(e.kind),
      );
      const problem = input.eventId
        ? problems.find(e => e.id === input.eventId)
        : problems[problems.length - 1];
      const correlation =
        problem && answer.correlations.find(c => c.eventId === problem.id);
      const span = `between ${answer.from} and ${answer.to}`;
      if (!problem || !correlation) {
        throw new NotFoundError(
          input.eventId
            ? `No incident or alert ${input.eventId} on ${entityRef} ${span}; give a window (from/to) that holds it`
            : `No incident or alert on ${entityRef} ${span}; give eventId or a wider window`,
        );
      }

      const byId = new Map<string, DashEvent>(
        [...answer.events, ...answer.relatedEvents].map(e => [e.id, e]),
      );
      // A window that holds the look-back and the problem, for every link of this answer.
      const linkWindow = {
        fromMs: Math.min(window.fromMs, Date.parse(correlation.lookbackFrom)),
        toMs: window.toMs,
      };
      const item = (eventId: string, otherEntity: boolean) => {
        const e = byId.get(eventId);
        if (!e) return undefined;
        return compactEvent(
          e,
          eventLink(options, entityRef, linkWindow, e.id, otherEntity),
        );
      };

      const candidates = correlation.candidates.flatMap((c, i) => {
        const e = item(c.eventId, c.relation === 'dependency');
        if (!e) return [];
        return [
          {
            ...e,
            rank: i + 1,
            score: c.score,
            relation: c.relation,
            reasons: c.reasons,
            ...(c.shipped?.length
              ? { shipped: c.shipped.map(s => s.title) }
              : {}),
          },
        ];
      });
      const afterOnset = correlation.afterOnset.flatMap(a => {
        const e = item(a.eventId, a.entityRef !== entityRef);
        return e ? [{ ...e, reasons: a.reasons }] : [];
      });
      return {
        output: {
          problem: {
            ...item(problem.id, false)!,
            onset: {
              time: correlation.onset.time,
              summary: correlation.onset.summary,
            },
          },
          verdict: correlation.verdict,
          summary: correlation.summary,
          lookback: {
            from: correlation.lookbackFrom,
            to: correlation.lookbackTo,
          },
          candidates,
          afterOnset,
        },
      };
    },
  });
}
