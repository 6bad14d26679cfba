import {
  DASH_CHANGE_KINDS,
  DASH_PROBLEM_KINDS,
  DashEvent,
  DashEventKind,
} from '@dash-suite/plugin-dash-common';
import { EventStore } from '../EventStore/EventStore';
import { isoTime } from '../EventStore/isoTime';

/** Kinds the correlator reads: changes, and problems and log spikes as evidence. */
const CORRELATION_KINDS: DashEventKind[] = [
  ...DASH_CHANGE_KINDS,
  ...DASH_PROBLEM_KINDS,
  'log-spike',
  'pod-trouble',
];

/** What one timeline answer has read already, and what it asked for. */
export interface CorrelationContextRequest {
  /** Problems on the target entities, in the window. */
  problems: DashEvent[];
  /** The window's events of the shown entities, as the timeline answers them. */
  events: DashEvent[];
  /** Whether `events` was cut at the event limit. */
  truncated: boolean;
  fromMs: number;
  toMs: number;
  sources?: string[];
  kinds?: DashEventKind[];
  includeDependencies?: boolean;
  targetRefs: string[];
  dependencyRefs: string[];
  /** The entities whose events `events` holds. */
  shownRefs: string[];
}

/**
 * Reads what the correlator looks at: changes and signs of trouble on the targets and their
 * dependencies, from a look-back before the earliest possible onset of the first problem to the
 * end of the last one. Nothing to explain, nothing to read; what the window's answer already
 * holds is not read again.
 */
export class CorrelationContextReader {
  constructor(
    private readonly events: EventStore,
    private readonly lookbackMs: number,
    /** How far before a problem its onset may lie: the look-back starts from there. */
    private readonly maxOnsetLeadMs: number = 0,
    /**
     * Most events one read takes (the newest, nearest the problems): a long incident over many
     * busy dependencies cannot make one answer read without bound.
     */
    private readonly maxEvents: number = 20_000,
  ) {}

  async read(request: CorrelationContextRequest): Promise<DashEvent[]> {
    const { problems, events } = request;
    const lookbackMs = this.lookbackMs;
    if (!problems.length) return [];
    const starts = problems.map(p => Date.parse(p.startTime));
    const ends = problems.map(p =>
      p.endTime ? Date.parse(p.endTime) : Date.parse(p.startTime) + lookbackMs,
    );
    const ctxFrom = Math.min(...starts) - this.maxOnsetLeadMs - lookbackMs;
    const ctxTo = Math.min(request.toMs, Math.max(...ends));
    const unfiltered = !request.sources && !request.kinds && !request.truncated;
    if (!unfiltered) {
      return this.events.query({
        entityRefs: [...request.targetRefs, ...request.dependencyRefs],
        fromMs: ctxFrom,
        toMs: ctxTo,
        kinds: CORRELATION_KINDS,
        limit: this.maxEvents,
      });
    }
    // `events` already holds the window of the shown entities: read only what lies before it,
    // and the dependencies that are not shown.
    const hidden = request.includeDependencies ? [] : request.dependencyRefs;
    const [before, ofHidden] = await Promise.all([
      ctxFrom < request.fromMs
        ? this.events.query({
            entityRefs: request.shownRefs,
            fromMs: ctxFrom,
            toMs: request.fromMs - 1,
            kinds: CORRELATION_KINDS,
            limit: this.maxEvents,
          })
        : [],
      hidden.length
        ? this.events.query({
            entityRefs: hidden,
            fromMs: ctxFrom,
            toMs: ctxTo,
            kinds: CORRELATION_KINDS,
            limit: this.maxEvents,
          })
        : [],
    ]);
    const kinds = new Set<string>(CORRELATION_KINDS);
    const context = events.filter(e => kinds.has(e.kind));
    if (before.length || ofHidden.length) {
      // `before` repeats the incidents and alerts that began before the window and were still
      // open in it: the only events of the window's answer that began before its start (the
      // ISO times compare as text). `ofHidden` holds other entities.
      const fromIso = isoTime(request.fromMs);
      const seen = new Set<string>();
      for (const e of context) {
        if (e.startTime < fromIso) seen.add(`${e.entityRef}\u0000${e.id}`);
      }
      for (const e of [...before, ...ofHidden]) {
        if (!seen.has(`${e.entityRef}\u0000${e.id}`)) context.push(e);
      }
    }
    return context;
  }
}
