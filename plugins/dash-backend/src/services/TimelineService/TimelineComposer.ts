import {
  DASH_PROBLEM_KINDS,
  DashEvent,
  DashTimelineResponse,
} from '@dash-suite/plugin-dash-common';
import { DashSettings } from '../../config';
import { correlate } from '../Correlator/Correlator';
import { EventStore } from '../EventStore/EventStore';
import { ServerTiming } from '../TimelineAnswers/ServerTiming';
import { CorrelationContextReader } from './CorrelationContextReader';
import type { Prepared } from './TimelinePreparer';
import type { TimelineQuery } from './TimelineService';

/**
 * Composes a timeline answer from prepared entities: the window's events from the EventStore,
 * what the likely causes need around them, the Correlator's verdicts and the events those point
 * at. What callers may see and how fresh the feeds are was settled before (TimelineService).
 */
export class TimelineComposer {
  private readonly correlationContext: CorrelationContextReader;

  constructor(
    private readonly options: {
      events: EventStore;
      settings: DashSettings;
      /** Each installed source's own title, for the correlator's reasons. */
      sourceTitles: Map<string, string>;
      clock?: () => number;
    },
  ) {
    const { events, settings } = options;
    this.correlationContext = new CorrelationContextReader(
      events,
      settings.correlator.lookbackMs,
      settings.correlator.maxOnsetLeadMs,
      settings.maxEvents,
    );
  }

  /**
   * Reads the events and correlates them (the expensive part, shared through the cache), timing
   * the reads as `read` and the correlator as `correlate`.
   */
  async compose(
    query: TimelineQuery,
    prepared: Prepared,
    timing: ServerTiming = new ServerTiming(),
  ): Promise<DashTimelineResponse> {
    const { events: store, settings } = this.options;
    const {
      targets,
      targetRefs,
      dependencies,
      dependencyEntities,
      dependencyRefs,
      targetStates,
      dependencyStates,
    } = prepared;
    const shownRefs = query.includeDependencies
      ? [...targetRefs, ...dependencyRefs]
      : [...targetRefs];
    const limit = settings.maxEvents;
    const events = await timing.time('read', () =>
      store.query({
        entityRefs: shownRefs,
        fromMs: query.fromMs,
        toMs: query.toMs,
        sources: query.sources,
        kinds: query.kinds,
        // One more than allowed tells us whether there were more.
        limit: limit + 1,
      }),
    );
    const truncated = events.length > limit;
    if (truncated) events.splice(0, events.length - limit);

    const problems = events.filter(
      e => targetRefs.has(e.entityRef) && DASH_PROBLEM_KINDS.includes(e.kind),
    );
    const context = await timing.time('read', () =>
      this.correlationContext.read({
        problems,
        events,
        truncated,
        fromMs: query.fromMs,
        toMs: query.toMs,
        sources: query.sources,
        kinds: query.kinds,
        includeDependencies: query.includeDependencies,
        targetRefs: [...targetRefs],
        dependencyRefs,
        shownRefs,
      }),
    );
    const titles = new Map<string, string>();
    for (const t of targets)
      titles.set(t.ref, t.entity.metadata.title ?? t.entity.metadata.name);
    for (const [r, e] of dependencyEntities)
      titles.set(r, e.metadata.title ?? e.metadata.name);
    const correlations = timing.timeSync('correlate', () =>
      correlate(
        {
          problems,
          context,
          dependencies,
          titles,
          sourceTitles: this.options.sourceTitles,
        },
        settings.correlator,
      ),
    );

    const shown = new Set(events.map(e => e.id));
    const byId = new Map(context.map(e => [e.id, e]));
    const related = new Map<string, DashEvent>();
    // Everything a correlation points at can be shown: suspects, what they shipped, the onset's
    // signals and the changes after it.
    for (const c of correlations) {
      const ids = [
        ...c.candidates.flatMap(cand => [
          cand.eventId,
          ...(cand.shipped ?? []).flatMap(s => (s.eventId ? [s.eventId] : [])),
        ]),
        ...c.onset.signalIds,
        ...c.afterOnset.map(a => a.eventId),
      ];
      for (const id of ids) {
        const e = byId.get(id);
        if (e && !shown.has(e.id)) related.set(e.id, e);
      }
    }

    return {
      entityRefs: [...targetRefs],
      dependencyRefs: query.includeDependencies ? dependencyRefs : [],
      from: new Date(query.fromMs).toISOString(),
      to: new Date(query.toMs).toISOString(),
      events,
      ...(truncated ? { truncated } : {}),
      relatedEvents: [...related.values()],
      sources: [
        ...targetStates,
        ...(query.includeDependencies ? dependencyStates : []),
      ],
      correlations,
      generatedAt: new Date((this.options.clock ?? Date.now)()).toISOString(),
    };
  }
}
