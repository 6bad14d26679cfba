import type {
  DashCorrelation,
  DashEvent,
  DashTimelineResponse,
} from '@dash-suite/plugin-dash-common';
import { useMemo } from 'react';
import { ms } from '../../lib/events';
import { CandidateMark } from '../EventList';

export interface CorrelationMarks {
  /** The selected event's correlation, when it is an incident or alert. */
  correlation?: DashCorrelation;
  /** The ranked likely causes, by event id. */
  candidates: Map<string, CandidateMark>;
  candidateRanks: Map<string, number>;
  /** Where the correlator looked for causes. */
  lookback?: { from: number; to: number };
}

/** What the timeline marks for the selected event: its likely causes and where they were sought. */
export function useCorrelationMarks(
  data: DashTimelineResponse | undefined,
  selected: DashEvent | undefined,
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
  return { correlation, candidates, candidateRanks, lookback };
}
