import type {
  DashCorrelation,
  DashEvent,
} from '@dash-suite/plugin-dash-common';
import { Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { onsetMark } from '../../lib/onset';
import { TimeZoneChoice, formatFullTime } from '../../lib/time';
import { AfterOnsetChanges } from './AfterOnsetChanges';
import { CauseCandidate } from './CauseCandidate';
import { useLikelyCausesStyles } from './likelyCausesStyles';
import { OnsetSummary } from './OnsetSummary';

export interface LikelyCausesProps {
  /** The incident or alert. */
  problem: DashEvent;
  correlation?: DashCorrelation;
  /** Events by id, including `relatedEvents`, to resolve candidates. */
  eventsById: ReadonlyMap<string, DashEvent>;
  /** Ids of the events currently in the list (so a candidate can be shown there). */
  listedIds: ReadonlySet<string>;
  tz: TimeZoneChoice;
  includeDependencies: boolean;
  onReveal(id: string): void;
  onSelect(id: string): void;
}

/**
 * Why a problem happened, as the correlator sees it: when it truly began, the changes before that
 * ranked and explained, and apart from them the changes that came after it began.
 */
export function LikelyCauses(props: LikelyCausesProps) {
  const { problem, correlation, eventsById, listedIds, tz } = props;
  const classes = useLikelyCausesStyles();
  const start = Date.parse(problem.startTime);
  const onset = onsetMark(problem, correlation, eventsById);
  return (
    <section aria-label="Likely causes" style={{ marginTop: 16 }}>
      <Typography variant="subtitle1" component="h4" gutterBottom>
        Likely causes
      </Typography>
      {!correlation && (
        <Typography variant="body2" color="textSecondary">
          No correlation was computed for this event.
        </Typography>
      )}
      {correlation && onset && (
        <OnsetSummary
          onset={onset}
          summary={correlation.onset.summary}
          listed={
            listedIds.has(onset.signalId) && onset.signalId !== problem.id
          }
          tz={tz}
          onSelect={props.onSelect}
        />
      )}
      {correlation?.verdict === 'nothing-plausible' && (
        <Alert severity="info">{correlation.summary}</Alert>
      )}
      {correlation?.verdict === 'ranked' && (
        <>
          <Typography variant="body2" paragraph>
            {correlation.summary} Look-back window:{' '}
            {formatFullTime(correlation.lookbackFrom, tz)} to{' '}
            {formatFullTime(correlation.lookbackTo, tz)}.
          </Typography>
          <ol className={classes.causes}>
            {[...correlation.candidates]
              .sort((a, b) => b.score - a.score)
              .map((c, i) => (
                <CauseCandidate
                  key={c.eventId}
                  candidate={c}
                  rank={i + 1}
                  problemStart={start}
                  eventsById={eventsById}
                  listed={listedIds.has(c.eventId)}
                  tz={tz}
                  includeDependencies={props.includeDependencies}
                  onReveal={props.onReveal}
                />
              ))}
          </ol>
        </>
      )}
      {correlation?.afterOnset && (
        <AfterOnsetChanges
          changes={correlation.afterOnset}
          problem={problem}
          onsetTime={onset?.from ?? start}
          eventsById={eventsById}
          listedIds={listedIds}
          tz={tz}
          onReveal={props.onReveal}
        />
      )}
    </section>
  );
}
