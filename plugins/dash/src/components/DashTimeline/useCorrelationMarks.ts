import type {
  DashCorrelation,
  DashEvent,
  DashTimelineResponse,
} from '@dash-suite/plugin-dash-common';
import { useMemo } from 'react';
import { ms } from '../../lib/events';
import { OnsetMark, onsetMark } from '../../lib/onset';
import { CandidateMark } from '../EventList';

export interface CorrelationMarks {
  /** The selected event's correlation, when it is an incident or alert. */
  correlation?: DashCorrelation;
  /** The ranked likely causes, by event id. */
  candidates: Map<string, CandidateMark>;
  candidateRanks: Map<string, number>;
  /** Where the correlator looked for causes. */
  lookback?: { from: number; to: number };
  /** When the selected problem truly began, where that came before its page or alert. */
  onset?: OnsetMark;
}

/**
 * What the timeline marks for the selected event: its likely causes, where they were sought and
 * when the problem began.
 */
export function useCorrelationMarks(
  data: DashTimelineResponse | undefined,
  selected: DashEvent | undefined,
  eventsById: ReadonlyMap<string, DashEvent>,
): CorrelationMarks {
  const correlation = selected
    ? data?.correlations.find(c => c.eventId === selected.id)
    : undefined;
  const candidates = useMemo(() => {
    const map = new Map<string, CandidateMark>();
    if (correlation?.verdict === 'ranked') {
      [...correlation.candidates]
        .sort((a, b) => b.score - a.score)
        .forEach((c, i) => map.set(c.eventId, { rank: i + 1, score: c.score }));
    }
    return map;
  }, [correlation]);
  const candidateRanks = useMemo(
    () => new Map([...candidates].map(([id, c]) => [id, c.rank])),
    [candidates],
  );
  const lookback = useMemo(
    () =>
      correlation
        ? { from: ms(correlation.lookbackFrom), to: ms(correlation.lookbackTo) }
        : undefined,
    [correlation],
  );
  const onset = useMemo(
    () => (selected ? onsetMark(selected, correlation, eventsById) : undefined),
    [selected, correlation, eventsById],
  );
  return { correlation, candidates, candidateRanks, lookback, onset };
}
