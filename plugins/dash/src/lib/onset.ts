import type {
  DashCorrelation,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import { ms } from './events';
import { formatDuration } from './time';

/** When a problem truly began, as the timeline and the likely causes panel show it. */
export interface OnsetMark {
  /** The onset, in ms. */
  from: number;
  /** The problem's own start (the page or the alert), in ms. */
  to: number;
  /** The signal that marks the onset. */
  signalId: string;
  /** Its title when the answer holds the event, else the correlator's summary. */
  signalTitle: string;
  /** e.g. `42 min before the page`. */
  lead: string;
}

/** How the problem made itself known: an incident pages someone, an alert fires. */
export function problemNoun(problem: DashEvent): string {
  return problem.kind === 'incident' ? 'the page' : 'the alert';
}

/**
 * The onset of a problem when it came before the problem's own start; undefined when the problem
 * began with its page (nothing anomalous ran into it), or when an older backend sent no onset.
 */
export function onsetMark(
  problem: DashEvent,
  correlation: DashCorrelation | undefined,
  eventsById: ReadonlyMap<string, DashEvent>,
): OnsetMark | undefined {
  // Older backends answer without an onset: the timeline then shows what it showed before.
  const onset = correlation?.onset;
  if (!onset) return undefined;
  const from = ms(onset.time);
  const to = ms(problem.startTime);
  if (!(from < to)) return undefined;
  return {
    from,
    to,
    signalId: onset.eventId,
    signalTitle: eventsById.get(onset.eventId)?.title ?? onset.summary,
    lead: `${formatDuration(to - from)} before ${problemNoun(problem)}`,
  };
}

/** The onset in one sentence, for accessible names and tooltips. */
export function onsetLabel(onset: OnsetMark): string {
  return `Problem began ${onset.lead}: ${onset.signalTitle}`;
}
